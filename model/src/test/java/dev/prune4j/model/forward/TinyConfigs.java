package dev.prune4j.model.forward;

import dev.prune4j.model.config.Activation;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.tensor.kernels.Rope;

/** Small configs covering each architectural feature of the forward pass. */
final class TinyConfigs {
    private TinyConfigs() {}

    /** Llama-like: GQA 4/2 heads, SwiGLU, NORMAL RoPE, untied output. */
    static ModelConfig llama() {
        return new ModelConfig("llama", 2, 32, 50, 64, new int[] {4, 4}, new int[] {2, 2}, new int[] {48, 48}, 8,
                1e-5f, 10000f, 10000f, 1f, 8, Rope.Layout.NORMAL, 0, 0, Activation.SILU, 1f, false, false, false);
    }

    /** Gemma-3-like: MQA, GeGLU, NeoX RoPE, QK-norm, sandwich norms, sliding window 5 on layers 0 and 2, tied, scaled embeddings. */
    static ModelConfig gemma() {
        return new ModelConfig("gemma3", 3, 32, 50, 64, new int[] {4, 4, 4}, new int[] {1, 1, 1}, new int[] {40, 40, 40}, 16,
                1e-6f, 1e6f, 1e4f, 1f, 16, Rope.Layout.NEOX, 5, 2, Activation.GELU_TANH, (float) Math.sqrt(32), true, true, true);
    }

    /** Per-layer widths, as structured pruning leaves them. */
    static ModelConfig ragged() {
        return new ModelConfig("llama", 3, 32, 50, 64, new int[] {4, 2, 6}, new int[] {2, 1, 3}, new int[] {48, 16, 40}, 8,
                1e-5f, 10000f, 10000f, 1f, 8, Rope.Layout.NEOX, 0, 0, Activation.SILU, 1f, false, false, false);
    }
}
