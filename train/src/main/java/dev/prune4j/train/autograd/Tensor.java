package dev.prune4j.train.autograd;

import java.util.Arrays;

/**
 * A row-major fp32 tensor that takes part in reverse-mode differentiation: its values, its shape, and a gradient
 * buffer that is allocated only when a gradient first flows into it. Tensors that do not require a gradient (frozen
 * base weights, data) never get one, so they cost no gradient memory.
 */
public final class Tensor {
    private final String name;
    private final float[] data;
    private final int[] shape;
    private final boolean requiresGrad;
    private float[] grad;

    private Tensor(String name, float[] data, int[] shape, boolean requiresGrad) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("tensor " + name + ": negative dimension in " + Arrays.toString(shape));
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("tensor " + name + ": shape " + Arrays.toString(shape) + " holds " + n
                    + " values but the data has " + data.length);
        }
        this.name = name;
        this.data = data;
        this.shape = shape.clone();
        this.requiresGrad = requiresGrad;
    }

    /** Values that need no gradient: inputs, targets, frozen weights. The array is shared, not copied. */
    public static Tensor constant(float[] data, int... shape) {
        return new Tensor("constant", data, shape, false);
    }

    /** A named frozen tensor (a base weight): shared array, no gradient. */
    public static Tensor frozen(String name, float[] data, int... shape) {
        return new Tensor(name, data, shape, false);
    }

    /** A named leaf that collects a gradient (a trainable parameter, or a weight whose gradient is wanted). */
    public static Tensor parameter(String name, float[] data, int... shape) {
        return new Tensor(name, data, shape, true);
    }

    /** An op's output; ops create these through {@link Tape#output}. */
    static Tensor result(float[] data, boolean requiresGrad, int... shape) {
        return new Tensor("result", data, shape, requiresGrad);
    }

    public String name() { return name; }

    /** The values; shared, mutable (optimizers update parameters in place). */
    public float[] data() { return data; }

    public int[] shape() { return shape.clone(); }

    public int rank() { return shape.length; }

    public int dim(int i) { return shape[i]; }

    public int size() { return data.length; }

    /** Width of the innermost dimension (1 for a scalar). */
    public int cols() { return shape.length == 0 ? 1 : shape[shape.length - 1]; }

    /** Number of rows when viewed as {@code [size / cols, cols]}. */
    public int rows() { return cols() == 0 ? 0 : data.length / cols(); }

    public boolean requiresGrad() { return requiresGrad; }

    /** The gradient buffer, allocated (zeroed) on first use; only for tensors that require a gradient. */
    public float[] grad() {
        if (!requiresGrad) throw new IllegalStateException("tensor " + name + " does not require a gradient");
        if (grad == null) grad = new float[data.length];
        return grad;
    }

    /** Whether a gradient buffer exists (something flowed into this tensor). */
    public boolean hasGrad() { return grad != null; }

    /** Zeroes the gradient (kept allocated) before the next accumulation. */
    public void zeroGrad() {
        if (grad != null) Arrays.fill(grad, 0f);
    }

    /** Drops the gradient buffer (intermediate results, once their backward has run). */
    void releaseGrad() { grad = null; }

    /** The single value of a scalar (size-1) tensor. */
    public float item() {
        if (data.length != 1) throw new IllegalStateException("tensor " + name + " has " + data.length + " values, not 1");
        return data[0];
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + (requiresGrad ? " (grad)" : "");
    }
}
