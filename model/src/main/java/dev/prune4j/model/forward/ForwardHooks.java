package dev.prune4j.model.forward;

/**
 * Observers of a forward pass. Calibration collects statistics here (input Gram matrices, norms, variances);
 * the arrays passed are the live buffers of the pass: read them, never keep or modify them.
 */
public interface ForwardHooks {
    ForwardHooks NONE = new ForwardHooks() {};

    /**
     * The input of the linears at {@code point} of block {@code layer}.
     *
     * @param x [rows, cols] row-major: one row per token
     */
    default void linearInput(int layer, CapturePoint point, float[] x, int rows, int cols) {}

    /**
     * The residual stream after block {@code layer}.
     *
     * @param x [rows, cols] row-major
     */
    default void blockOutput(int layer, float[] x, int rows, int cols) {}
}
