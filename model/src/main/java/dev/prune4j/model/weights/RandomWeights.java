package dev.prune4j.model.weights;

import dev.prune4j.model.config.ModelConfig;
import java.util.Random;

/** Seeded random weights for any config: tiny models for tests and benchmarks of the forward pass and pruning. */
public final class RandomWeights {
    private RandomWeights() {}

    public static ModelWeights create(ModelConfig c, long seed) {
        Random r = new Random(seed);
        int h = c.embeddingLength();
        float[] embd = gaussian(r, c.vocabSize() * h, 1f);
        BlockWeights[] blocks = new BlockWeights[c.blockCount()];
        for (int i = 0; i < blocks.length; i++) {
            int q = c.qDim(i), kv = c.kvDim(i), f = c.feedForwardLength(i), hd = c.headDim();
            blocks[i] = new BlockWeights(
                    gain(r, h), linear(r, q, h), linear(r, kv, h), linear(r, kv, h),
                    c.qkNorm() ? gain(r, hd) : null, c.qkNorm() ? gain(r, hd) : null,
                    linear(r, h, q), c.sandwichNorms() ? gain(r, h) : null,
                    gain(r, h), linear(r, f, h), linear(r, f, h), linear(r, h, f),
                    c.sandwichNorms() ? gain(r, h) : null);
        }
        Linear out = c.tiedEmbeddings() ? new Linear(c.vocabSize(), h, embd, null) : linear(r, c.vocabSize(), h);
        return new ModelWeights(embd, blocks, gain(r, h), out, c.tiedEmbeddings());
    }

    /** Weights with the 1/sqrt(fan-in) scale of a trained layer, so activations stay O(1) through the blocks. */
    private static Linear linear(Random r, int out, int in) {
        return new Linear(out, in, gaussian(r, out * in, (float) (1 / Math.sqrt(in))), null);
    }

    private static float[] gain(Random r, int n) {
        float[] g = new float[n];
        for (int i = 0; i < n; i++) g[i] = 1f + 0.1f * (float) r.nextGaussian();
        return g;
    }

    private static float[] gaussian(Random r, int n, float std) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = std * (float) r.nextGaussian();
        return a;
    }
}
