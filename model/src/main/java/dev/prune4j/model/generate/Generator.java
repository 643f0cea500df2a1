package dev.prune4j.model.generate;

import dev.prune4j.model.forward.ForwardHooks;
import dev.prune4j.model.forward.KvCache;
import dev.prune4j.model.forward.Transformer;
import java.util.Arrays;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;

/** Autoregressive generation: one batched prefill of the prompt, then one-token decode steps over the KV cache. */
public final class Generator {
    private final Transformer transformer;

    public Generator(Transformer transformer) {
        this.transformer = transformer;
    }

    /** Timings and tokens of one generation. */
    public record Result(int[] tokens, int promptTokens, double prefillSeconds, double decodeSeconds) {
        public double prefillTokensPerSecond() { return promptTokens / prefillSeconds; }

        /** The first token comes from the prefill's logits, so decoding ran {@code tokens.length - 1} forward steps. */
        public double decodeTokensPerSecond() {
            return tokens.length <= 1 ? 0 : (tokens.length - 1) / Math.max(decodeSeconds, 1e-9);
        }
    }

    /**
     * @param prompt    token ids including BOS where the model wants it
     * @param maxTokens tokens to generate at most
     * @param stop      stops after a token for which it is true (e.g. EOS); that token is included
     * @param onToken   called with each new token as soon as it is chosen
     */
    public Result generate(int[] prompt, int maxTokens, Sampler sampler, IntPredicate stop, IntConsumer onToken) {
        if (prompt.length == 0) throw new IllegalArgumentException("the prompt has no tokens");
        int vocab = transformer.config().vocabSize();
        int context = transformer.config().contextLength();
        if (prompt.length + maxTokens > context) {
            throw new IllegalArgumentException("prompt (" + prompt.length + " tokens) plus " + maxTokens
                    + " new tokens exceed the model's context of " + context);
        }
        KvCache cache = transformer.newCache(prompt.length + maxTokens);
        float[] logits = new float[vocab];
        long t0 = System.nanoTime();
        float[] hidden = transformer.forward(prompt, cache, ForwardHooks.NONE);
        transformer.logits(hidden, prompt.length - 1, 1, logits);
        long t1 = System.nanoTime();
        int[] out = new int[maxTokens];
        int n = 0;
        while (n < maxTokens) {
            int next = sampler.sample(logits, 0, vocab);
            out[n++] = next;
            onToken.accept(next);
            if (stop.test(next) || n == maxTokens) break;
            hidden = transformer.forward(new int[] {next}, cache, ForwardHooks.NONE);
            transformer.logits(hidden, 0, 1, logits);
        }
        long t2 = System.nanoTime();
        return new Result(Arrays.copyOf(out, n), prompt.length, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
    }
}
