package dev.prune4j.train.nn;

import dev.prune4j.model.Assets;
import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.config.Activation;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.Linear;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.model.weights.RandomWeights;
import dev.prune4j.train.Rng;
import dev.prune4j.tensor.kernels.Rope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/** Small configs covering each architectural feature, and stories260K when it is present. */
public final class TinyModels {
    private TinyModels() {}

    /** Llama-like: 2 layers, GQA 4/2 heads, SwiGLU, NORMAL RoPE, untied output. */
    public static ModelConfig llamaGqa() {
        return new ModelConfig("llama", 2, 32, 50, 64, new int[] {4, 4}, new int[] {2, 2}, new int[] {48, 48}, 8,
                1e-5f, 10000f, 10000f, 1f, 8, Rope.Layout.NORMAL, 0, 0, Activation.SILU, 1f, false, false, false);
    }

    /** Gemma-3-like: MQA, GeGLU, NeoX RoPE, QK-norm, sandwich norms, sliding window 5 on layer 0, tied, scaled embeddings. */
    public static ModelConfig gemma() {
        return new ModelConfig("gemma3", 2, 32, 50, 64, new int[] {4, 4}, new int[] {1, 1}, new int[] {40, 40}, 16,
                1e-6f, 1e6f, 1e4f, 1f, 16, Rope.Layout.NEOX, 5, 2, Activation.GELU_TANH, (float) Math.sqrt(32), true, true, true);
    }

    /** Qwen2-like with per-layer widths (as structured pruning leaves them), partial rotary dims, tied; biases via {@link #randomWeights}. */
    public static ModelConfig ragged() {
        return new ModelConfig("qwen2", 3, 32, 50, 64, new int[] {4, 2, 6}, new int[] {2, 1, 3}, new int[] {48, 16, 40}, 8,
                1e-5f, 10000f, 10000f, 1f, 6, Rope.Layout.NEOX, 0, 0, Activation.SILU, 1f, true, false, false);
    }

    /** Random weights for {@code c}, with seeded q/k/v biases when the architecture has them (Qwen2). */
    public static ModelWeights randomWeights(ModelConfig c, long seed) {
        ModelWeights w = RandomWeights.create(c, seed);
        if (!c.architecture().equals("qwen2")) return w;
        Rng rng = new Rng(seed);
        BlockWeights[] blocks = w.blocks().clone();
        for (int i = 0; i < blocks.length; i++) {
            BlockWeights b = blocks[i];
            blocks[i] = new BlockWeights(b.attnNorm(), withBias(b.attnQ(), rng), withBias(b.attnK(), rng), withBias(b.attnV(), rng),
                    b.attnQNorm(), b.attnKNorm(), b.attnOutput(), b.attnPostNorm(), b.ffnNorm(), b.ffnGate(), b.ffnUp(),
                    b.ffnDown(), b.ffnPostNorm());
        }
        return new ModelWeights(w.tokenEmbd(), blocks, w.outputNorm(), w.output(), w.tied());
    }

    private static Linear withBias(Linear l, Rng rng) {
        float[] b = new float[l.out()];
        for (int i = 0; i < b.length; i++) b[i] = (float) (0.5 * rng.nextGaussian());
        return new Linear(l.out(), l.in(), l.weight(), b);
    }

    /** stories260K from {@code ../shared/models}, if present. */
    public static Optional<LanguageModel> stories260K() {
        return Assets.stories260K().map(p -> {
            try {
                return LanguageModel.load(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
