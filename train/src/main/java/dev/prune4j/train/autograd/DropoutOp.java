package dev.prune4j.train.autograd;

import dev.prune4j.tensor.Parallel;
import dev.prune4j.train.Rng;

/**
 * Inverted dropout: each value is kept with probability {@code 1 − p} and scaled by {@code 1/(1 − p)}. The mask is a
 * function of {@code seed} alone (drawn in fixed chunks, each from its own derived seed), so it is the same on any
 * number of threads, the backward regenerates it instead of storing it, and a recomputed block draws it again.
 */
public final class DropoutOp {
    private static final int CHUNK = 4096;

    private DropoutOp() {}

    public static Tensor forward(Tape tape, Tensor x, float p, long seed) {
        if (p < 0 || p >= 1) throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        if (p == 0) return x;
        float keepScale = 1f / (1f - p);
        float[] y = x.data().clone();
        applyMask(y, y, p, keepScale, seed, false);
        boolean g = tape.needsGrad(x);
        Tensor result = tape.output(y, g, x.shape());
        if (g) tape.record(result, () -> applyMask(result.grad(), x.grad(), p, keepScale, seed, true));
        return result;
    }

    /** {@code out[i] (+)= keep(i) · scale · in[i]} over fixed chunks. */
    private static void applyMask(float[] in, float[] out, float p, float scale, long seed, boolean accumulate) {
        int chunks = (in.length + CHUNK - 1) / CHUNK;
        Parallel.forRange(chunks, 4, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                Rng rng = new Rng(Rng.mix(seed, c));
                for (int i = c * CHUNK, end = Math.min(in.length, i + CHUNK); i < end; i++) {
                    float v = rng.nextFloat() >= p ? in[i] * scale : 0f;
                    out[i] = accumulate ? out[i] + v : v;
                }
            }
        });
    }
}
