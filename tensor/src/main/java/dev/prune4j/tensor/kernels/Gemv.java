package dev.prune4j.tensor.kernels;

import dev.prune4j.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * fp32 matrix-vector product {@code y = W · x} for one token (decode). Memory-bound: each thread streams four rows
 * of W at once, which keeps more loads in flight than one row and reaches the DRAM bandwidth.
 */
public final class Gemv {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();
    /** Rows read together; the per-thread row ranges are multiples of it. */
    private static final int ROWS = 4;
    /**
     * Below this many weights per thread, forking costs more than the second thread saves: 576×576 (331 K weights,
     * 25 µs from cache) measured 54 GB/s on one thread and 38 GB/s on two.
     */
    private static final long MIN_PARALLEL_WORK = 1L << 18;

    private Gemv() {}

    /**
     * {@code y = w · x}.
     *
     * @param w [n, k] row-major
     * @param x [k]
     * @param y [n], overwritten
     */
    public static void wx(float[] w, int n, int k, float[] x, float[] y) {
        wx(n, k, w, 0, k, x, 0, y, 0, false);
    }

    /**
     * {@code y[yOff ..+n] (+)= W · x[xOff ..+k]} with W stored {@code [n, k]} at {@code w[wOff]}, row stride {@code ldw};
     * {@code accumulate} adds to y instead of overwriting it.
     */
    public static void wx(int n, int k, float[] w, int wOff, int ldw, float[] x, int xOff, float[] y, int yOff,
                          boolean accumulate) {
        wx(n, k, w, wOff, ldw, x, xOff, y, yOff, accumulate, Parallel.threads());
    }

    /** As the public form, on at most {@code threads} threads. */
    static void wx(int n, int k, float[] w, int wOff, int ldw, float[] x, int xOff, float[] y, int yOff,
                   boolean accumulate, int threads) {
        checkShapes(n, k, w, wOff, ldw, x, xOff, y, yOff);
        if (!Simd.ENABLED) {
            reference(n, k, w, wOff, ldw, x, xOff, y, yOff, accumulate);
            return;
        }
        int groups = Gemm.ceilDiv(n, ROWS);
        int parts = (int) Math.max(1, Math.min(Math.min(threads, groups), (long) n * k / MIN_PARALLEL_WORK));
        if (parts == 1) {
            rows(0, n, k, w, wOff, ldw, x, xOff, y, yOff, accumulate);
            return;
        }
        Parallel.forRange(groups, Gemm.ceilDiv(groups, parts), (g0, g1) ->
                rows(g0 * ROWS, Math.min(n, g1 * ROWS), k, w, wOff, ldw, x, xOff, y, yOff, accumulate));
    }

    /** Rows {@code [from, to)} of y on the calling thread. */
    private static void rows(int from, int to, int k, float[] w, int wOff, int ldw, float[] x, int xOff, float[] y,
                             int yOff, boolean accumulate) {
        int kVec = F.loopBound(k);
        int i = from;
        for (; i + ROWS <= to; i += ROWS) {
            int w0 = wOff + i * ldw, w1 = w0 + ldw, w2 = w1 + ldw, w3 = w2 + ldw;
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
            for (int p = 0; p < kVec; p += L) {
                FloatVector xv = FloatVector.fromArray(F, x, xOff + p);
                s0 = FloatVector.fromArray(F, w, w0 + p).fma(xv, s0);
                s1 = FloatVector.fromArray(F, w, w1 + p).fma(xv, s1);
                s2 = FloatVector.fromArray(F, w, w2 + p).fma(xv, s2);
                s3 = FloatVector.fromArray(F, w, w3 + p).fma(xv, s3);
            }
            float t0 = Simd.sum(s0), t1 = Simd.sum(s1);
            float t2 = Simd.sum(s2), t3 = Simd.sum(s3);
            for (int p = kVec; p < k; p++) {
                float xp = x[xOff + p];
                t0 += w[w0 + p] * xp;
                t1 += w[w1 + p] * xp;
                t2 += w[w2 + p] * xp;
                t3 += w[w3 + p] * xp;
            }
            put(y, yOff + i, t0, accumulate);
            put(y, yOff + i + 1, t1, accumulate);
            put(y, yOff + i + 2, t2, accumulate);
            put(y, yOff + i + 3, t3, accumulate);
        }
        for (; i < to; i++) {
            put(y, yOff + i, VectorOps.dot(w, wOff + i * ldw, x, xOff, k), accumulate);
        }
    }

    private static void put(float[] y, int at, float v, boolean accumulate) {
        y[at] = accumulate ? y[at] + v : v;
    }

    /** One scalar dot product per row with a double accumulator: the oracle. Same contract as the full form. */
    public static void reference(int n, int k, float[] w, int wOff, int ldw, float[] x, int xOff, float[] y, int yOff,
                                 boolean accumulate) {
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int p = 0; p < k; p++) s += (double) w[wOff + i * ldw + p] * x[xOff + p];
            y[yOff + i] = accumulate ? (float) (y[yOff + i] + s) : (float) s;
        }
    }

    private static void checkShapes(int n, int k, float[] w, int wOff, int ldw, float[] x, int xOff, float[] y,
                                    int yOff) {
        if (n < 0 || k < 0 || ldw < k || wOff < 0 || xOff < 0 || yOff < 0
                || (n > 0 && wOff + (long) (n - 1) * ldw + k > w.length)
                || xOff + (long) k > x.length || yOff + (long) n > y.length) {
            throw new IllegalArgumentException("gemv: W " + n + "x" + k + " (stride " + ldw + ", offset " + wOff
                    + ") in w[" + w.length + "], x[" + k + "] at " + xOff + " in x[" + x.length + "], y[" + n
                    + "] at " + yOff + " in y[" + y.length + "]");
        }
    }
}
