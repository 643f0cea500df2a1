package dev.prune4j.bench;

import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.forward.ForwardHooks;
import dev.prune4j.model.forward.KvCache;
import dev.prune4j.model.forward.Transformer;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * End-to-end speed of the forward pass on a real model: prefill of a prompt (one batched forward, plus the last
 * row's logits, as generation needs) and one decode step at a given context length (one token over a KV cache
 * holding {@code context} positions, plus its logits). The model comes from {@code -Dprune4j.bench.model=FILE}
 * (default: the F32 conversion of SmolLM2 made by {@code scripts/bench-forward.sh}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx8g"})
public class ForwardBench {
    @Param({"128", "512"})
    int tokens;

    private Transformer transformer;
    private int[] prompt;
    private KvCache cache;
    private float[] logits;

    @Setup(Level.Trial)
    public void load() throws Exception {
        Path model = Path.of(System.getProperty("prune4j.bench.model", "/tmp/prune4j-bench/smollm2-135m-f32.gguf"));
        LanguageModel m = LanguageModel.load(model);
        transformer = m.transformer();
        Random r = new Random(0);
        prompt = new int[tokens];
        for (int i = 0; i < tokens; i++) prompt[i] = r.nextInt(m.config().vocabSize());
        cache = transformer.newCache(tokens + 1);
        logits = new float[m.config().vocabSize()];
    }

    /** Time to first token for a prompt of {@code tokens}: tokens/s = tokens / (ms / 1000). */
    @Benchmark
    public float prefill() {
        cache.clear();
        float[] h = transformer.forward(prompt, cache, ForwardHooks.NONE);
        transformer.logits(h, tokens - 1, 1, logits);
        return logits[0];
    }

    /** One decode step after {@code tokens} positions: the cache is filled once, then rolled back each call. */
    @Benchmark
    public float decode(DecodeState s) {
        s.cache.truncate(tokens);
        float[] h = transformer.forward(new int[] {prompt[0]}, s.cache, ForwardHooks.NONE);
        transformer.logits(h, 0, 1, logits);
        return logits[0];
    }

    @State(Scope.Benchmark)
    public static class DecodeState {
        KvCache cache;

        @Setup(Level.Trial)
        public void fill(ForwardBench b) {
            cache = b.transformer.newCache(b.tokens + 1);
            b.transformer.forward(b.prompt, cache, ForwardHooks.NONE);
        }
    }
}
