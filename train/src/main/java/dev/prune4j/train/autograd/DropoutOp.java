package dev.prune4j.train.autograd;

/**
 * Inverted dropout: each value is kept with probability {@code 1 − p} and scaled by {@code 1/(1 − p)}. The mask is a
 * function of {@code seed} alone ({@link DropoutMask}), so the backward regenerates it and a recomputed block draws
 * the same one.
 */
public final class DropoutOp {
    private DropoutOp() {}

    public static Tensor forward(Tape tape, Tensor x, float p, long seed) {
        if (p < 0 || p >= 1) throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        if (p == 0) return x;
        float[] y = new float[x.size()];
        DropoutMask.apply(x.data(), y, p, seed, false);
        boolean g = tape.needsGrad(x);
        Tensor result = tape.output(y, g, x.shape());
        if (g) tape.record(result, () -> DropoutMask.apply(result.grad(), x.grad(), p, seed, true));
        return result;
    }

    /** {@code dropout(x)} into a new array, without a tape (for fused ops that regenerate it). */
    public static float[] apply(float[] x, float p, long seed) {
        float[] y = new float[x.length];
        if (p == 0) System.arraycopy(x, 0, y, 0, x.length); else DropoutMask.apply(x, y, p, seed, false);
        return y;
    }

    /** {@code into += dropout(g)} with the mask of {@code seed} (the backward of {@link #apply}). */
    public static void accumulateBackward(float[] g, float[] into, float p, long seed) {
        if (p == 0) {
            for (int i = 0; i < g.length; i++) into[i] += g[i];
        } else {
            DropoutMask.apply(g, into, p, seed, true);
        }
    }
}
