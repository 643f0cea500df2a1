package dev.prune4j.prune.structure;

import dev.prune4j.model.config.Activation;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.forward.ForwardHooks;
import dev.prune4j.model.forward.Transformer;
import dev.prune4j.tensor.kernels.Rope;
import dev.prune4j.model.weights.ModelWeights;
import java.util.Random;

/** Tiny Llama-like models with GQA for the structured-pruning tests, and an independent loss in double. */
public final class ToyModels {
    private ToyModels() {}

    /** 2 layers, hidden 16, 4 query heads over 2 KV heads of dim 4, FFN 24, vocab 40. */
    public static ModelConfig gqa() {
        return config(2, 16, new int[] {4, 4}, new int[] {2, 2}, new int[] {24, 24}, 4);
    }

    /** SmolLM2-135M's shapes (30 layers, hidden 576, 9 query heads over 3 KV heads of dim 64, FFN 1536). */
    public static ModelConfig smolLm2Shapes() {
        int[] h = new int[30], kv = new int[30], f = new int[30];
        java.util.Arrays.fill(h, 9);
        java.util.Arrays.fill(kv, 3);
        java.util.Arrays.fill(f, 1536);
        return config(30, 576, h, kv, f, 64);
    }

    public static ModelConfig config(int layers, int hidden, int[] heads, int[] kvHeads, int[] ffn, int headDim) {
        return new ModelConfig("llama", layers, hidden, 40, 64, heads, kvHeads, ffn, headDim, 1e-5f, 10000f, 10000f, 1f,
                headDim, Rope.Layout.NORMAL, 0, 0, Activation.SILU, 1f, false, false, false);
    }

    /** @return [n][length] random token ids, the first of each being 1 (a BOS stand-in) */
    public static int[][] samples(int n, int length, int vocab, long seed) {
        Random r = new Random(seed);
        int[][] s = new int[n][length];
        for (int[] row : s) {
            row[0] = 1;
            for (int i = 1; i < length; i++) row[i] = r.nextInt(vocab);
        }
        return s;
    }

    /** Mean next-token NLL over every predicted token of every sample, from the inference forward, in double. */
    public static double loss(ModelConfig c, ModelWeights w, int[][] samples) {
        Transformer t = new Transformer(c, w);
        int v = c.vocabSize();
        double total = 0;
        long count = 0;
        for (int[] s : samples) {
            float[] hidden = t.forward(s, t.newCache(s.length), ForwardHooks.NONE);
            float[] logits = new float[s.length * v];
            t.logits(hidden, 0, s.length, logits);
            for (int i = 0; i + 1 < s.length; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < v; j++) max = Math.max(max, logits[i * v + j]);
                double sum = 0;
                for (int j = 0; j < v; j++) sum += Math.exp(logits[i * v + j] - max);
                total += max + Math.log(sum) - logits[i * v + s[i + 1]];
                count++;
            }
        }
        return total / count;
    }
}
