package dev.prune4j.eval.ppl;

import dev.prune4j.model.Assets;
import dev.prune4j.model.config.Activation;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.export.GgufExporter;
import dev.prune4j.model.gguf.GgufFile;
import dev.prune4j.model.gguf.GgufValue;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.Linear;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.model.weights.RandomWeights;
import dev.prune4j.tensor.GgmlType;
import dev.prune4j.tensor.kernels.Rope;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A tiny, seeded, random Qwen2 model (q/k/v biases, NeoX RoPE, untied output) with SmolLM2's vocabulary, written
 * as GGUF: no Qwen2 checkpoint is reachable here, so llama.cpp's qwen2 graph is compared on this one instead.
 * {@code main(out.gguf)} writes it for {@code tools/reference/logprobs.mjs}; the file is byte-reproducible.
 */
final class TinyQwen2 {
    private TinyQwen2() {}

    static ModelConfig config() {
        int[] heads = {4, 4}, kv = {2, 2}, ffn = {96, 96};
        return new ModelConfig("qwen2", 2, 64, 49152, 256, heads, kv, ffn, 16, 1e-6f, 1e6f, 1e6f, 1f, 16,
                Rope.Layout.NEOX, 0, 0, Activation.SILU, 1f, false, false, false);
    }

    static void write(Path out) throws Exception {
        ModelConfig c = config();
        ModelWeights w = RandomWeights.create(c, 42);
        Random r = new Random(43);
        BlockWeights[] blocks = w.blocks().clone();
        for (int i = 0; i < blocks.length; i++) {
            BlockWeights b = blocks[i];
            blocks[i] = new BlockWeights(b.attnNorm(), withBias(b.attnQ(), r), withBias(b.attnK(), r), withBias(b.attnV(), r),
                    null, null, b.attnOutput(), null, b.ffnNorm(), b.ffnGate(), b.ffnUp(), b.ffnDown(), null);
        }
        ModelWeights biased = new ModelWeights(w.tokenEmbd(), blocks, w.outputNorm(), w.output(), false);
        Map<String, GgufValue> meta = new LinkedHashMap<>();
        meta.put("general.name", GgufValue.string("tiny-random-qwen2"));
        try (GgufFile smol = GgufFile.open(Assets.model(Assets.SMOLLM2_Q4_1))) {
            smol.metadata().forEach((k, v) -> { if (k.startsWith("tokenizer.")) meta.put(k, v); });
        }
        GgufExporter.write(out, c, biased, meta, GgmlType.F32);
    }

    private static Linear withBias(Linear l, Random r) {
        float[] b = new float[l.out()];
        for (int i = 0; i < b.length; i++) b[i] = 0.5f * (float) r.nextGaussian();
        return new Linear(l.out(), l.in(), l.weight(), b);
    }

    public static void main(String[] args) throws Exception {
        write(Path.of(args[0]));
    }
}
