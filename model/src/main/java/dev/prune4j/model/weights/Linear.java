package dev.prune4j.model.weights;

/**
 * A linear layer {@code y = x·Wᵀ + b} with its weight in fp32, row-major {@code [out, in]} (Hugging Face order).
 * The arrays are mutable on purpose: pruning zeroes and re-solves weights in place.
 */
public final class Linear {
    private final int out;
    private final int in;
    private final float[] weight; // [out, in]
    private final float[] bias;   // [out] or null

    public Linear(int out, int in, float[] weight, float[] bias) {
        if ((long) out * in != weight.length) {
            throw new IllegalArgumentException("weight has " + weight.length + " values, expected " + out + "x" + in);
        }
        if (bias != null && bias.length != out) {
            throw new IllegalArgumentException("bias has " + bias.length + " values, expected " + out);
        }
        this.out = out;
        this.in = in;
        this.weight = weight;
        this.bias = bias;
    }

    public int out() { return out; }

    public int in() { return in; }

    /** The weight, {@code [out, in]} row-major; shared, not copied. */
    public float[] weight() { return weight; }

    /** The bias, {@code [out]}, or null. */
    public float[] bias() { return bias; }

    public long parameterCount() {
        return (long) out * in + (bias == null ? 0 : out);
    }
}
