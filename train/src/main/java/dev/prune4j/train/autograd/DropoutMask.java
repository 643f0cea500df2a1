package dev.prune4j.train.autograd;

import dev.prune4j.tensor.Parallel;
import dev.prune4j.train.Rng;

/**
 * The keep/drop pattern of inverted dropout as a bit set that is a pure function of a seed: drawn in fixed chunks,
 * each from its own derived seed, two 24-bit uniforms per 64-bit draw. The same on any number of threads, so a
 * recomputed block draws it again; one bit per value is all a backward keeps.
 */
public final class DropoutMask {
    private static final int CHUNK = 4096; // values per derived seed; a multiple of 64
    private final long[] bits; // bit i set = value i kept
    private final int size;
    private final float scale;

    private DropoutMask(long[] bits, int size, float scale) {
        this.bits = bits;
        this.size = size;
        this.scale = scale;
    }

    /** Draws the mask of {@code size} values, each kept with probability {@code 1 − p}. */
    public static DropoutMask draw(int size, float p, long seed) {
        if (p < 0 || p >= 1) throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        int threshold = (int) Math.ceil(p * (1 << 24)); // kept when the 24-bit uniform is at least this
        long[] bits = new long[(size + 63) / 64];
        int chunks = (size + CHUNK - 1) / CHUNK;
        Parallel.forRange(chunks, 8, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                Rng rng = new Rng(Rng.mix(seed, c));
                long draw = 0;
                for (int i = c * CHUNK, end = Math.min(size, i + CHUNK), k = 0; i < end; i++, k++) {
                    if ((k & 1) == 0) draw = rng.nextLong();
                    int u = (int) ((k & 1) == 0 ? draw >>> 40 : (draw >>> 16) & 0xFFFFFF);
                    if (u >= threshold) bits[i >>> 6] |= 1L << i;
                }
            }
        });
        return new DropoutMask(bits, size, 1f / (1f - p));
    }

    public int size() { return size; }

    /** Bytes this mask holds (what a backward keeps instead of the dropped values). */
    public long bytes() { return 8L * bits.length; }

    /** {@code out[i] (+)= kept(i) · in[i] / (1 − p)}. */
    public void apply(float[] in, float[] out, boolean accumulate) {
        if (in.length != size || out.length != size) throw new IllegalArgumentException("dropout mask of " + size + " applied to " + in.length);
        Parallel.forRange(bits.length, 256, (w0, w1) -> {
            for (int w = w0; w < w1; w++) {
                long word = bits[w];
                for (int i = w << 6, end = Math.min(size, i + 64); i < end; i++) {
                    float v = (word & (1L << i)) != 0 ? in[i] * scale : 0f;
                    out[i] = accumulate ? out[i] + v : v;
                }
            }
        });
    }

    /** {@code dropout(in)} as a new array. */
    public float[] apply(float[] in) {
        float[] out = new float[size];
        apply(in, out, false);
        return out;
    }
}
