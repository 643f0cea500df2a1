package dev.prune4j.model.config;

/** The gated MLP's activation: SwiGLU (Llama family) or GeGLU with tanh-approximated GELU (Gemma). */
public enum Activation {
    SILU,
    GELU_TANH
}
