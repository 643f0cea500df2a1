package dev.prune4j.train.autograd;

import dev.prune4j.tensor.Parallel;
import dev.prune4j.train.Rng;

/**
 * The keep/drop pattern of inverted dropout as a pure function of a seed: drawn in fixed chunks, each from its own
 * derived seed, two 24-bit uniforms per 64-bit draw. The same on any number of threads, so a backward or a recomputed
 * block regenerates it instead of storing it.
 */
final class DropoutMask {
    private static final int CHUNK = 4096;

    private DropoutMask() {}

    /** {@code out[i] (+)= keep(i) · scale · in[i]}, keep(i) with probability 1 − p. */
    static void apply(float[] in, float[] out, float p, long seed, boolean accumulate) {
        float scale = 1f / (1f - p);
        int threshold = (int) Math.ceil(p * (1 << 24)); // keep when the 24-bit uniform is at least this
        int chunks = (in.length + CHUNK - 1) / CHUNK;
        Parallel.forRange(chunks, 4, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                Rng rng = new Rng(Rng.mix(seed, c));
                long bits = 0;
                for (int i = c * CHUNK, end = Math.min(in.length, i + CHUNK), k = 0; i < end; i++, k++) {
                    if ((k & 1) == 0) bits = rng.nextLong();
                    int u = (int) ((k & 1) == 0 ? bits >>> 40 : (bits >>> 16) & 0xFFFFFF);
                    float v = u >= threshold ? in[i] * scale : 0f;
                    out[i] = accumulate ? out[i] + v : v;
                }
            }
        });
    }
}
