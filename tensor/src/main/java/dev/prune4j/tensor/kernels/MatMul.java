package dev.prune4j.tensor.kernels;

import dev.prune4j.tensor.Parallel;

/**
 * {@code y = x · wᵀ} for row-major fp32 matrices: the product every linear layer needs, with the weight stored as
 * {@code [out, in]} (Hugging Face order). Dispatches to GEMV for one row, to a dot-product loop for a few rows and
 * to the packed GEMM for a batch.
 */
public final class MatMul {
    /**
     * Fewer rows than this take the dot-product loop: packing W for GEMM costs about as much as reading it once,
     * which is all the dot loop does when W's rows are shared by only a handful of x rows.
     */
    static final int MIN_GEMM_ROWS = 8;
    /** Below this many multiply-adds the dot loop wins at any shape (no packing, no threads). */
    static final long MIN_GEMM_WORK = 1L << 16;
    /** Multiply-adds each thread of the dot loop gets at least; smaller products stay on the calling thread. */
    private static final long MIN_PARALLEL_WORK = 1L << 17;

    private MatMul() {}

    /**
     * @param x [m, k] row-major
     * @param w [n, k] row-major
     * @param y [m, n] row-major, overwritten
     */
    public static void xwT(float[] x, int m, int k, float[] w, int n, float[] y) {
        if (m < 0 || n < 0 || k < 0 || x.length < (long) m * k || w.length < (long) n * k
                || y.length < (long) m * n) {
            throw new IllegalArgumentException("xwT shapes: x[" + x.length + "] for " + m + "x" + k + ", w[" + w.length
                    + "] for " + n + "x" + k + ", y[" + y.length + "] for " + m + "x" + n);
        }
        if (m == 1) {
            Gemv.wx(w, n, k, x, y);
        } else if (m < MIN_GEMM_ROWS || (long) m * n * k < MIN_GEMM_WORK) {
            dotLoop(x, m, k, w, n, y);
        } else {
            Gemm.nt(x, m, k, w, n, y);
        }
    }

    /** One vector dot product per output; each W row is read once and used for all m rows of x. */
    static void dotLoop(float[] x, int m, int k, float[] w, int n, float[] y) {
        Parallel.RangeBody rows = (j0, j1) -> {
            for (int j = j0; j < j1; j++) {
                for (int i = 0; i < m; i++) y[i * n + j] = VectorOps.dot(x, i * k, w, j * k, k);
            }
        };
        int minRows = (int) Math.min(n, Math.max(1, MIN_PARALLEL_WORK / Math.max(1, (long) m * k)));
        Parallel.forRange(n, minRows, rows);
    }

    /** Plain triple loop in fp32 with one accumulator per output: the oracle for the fast paths. */
    public static void reference(float[] x, int m, int k, float[] w, int n, float[] y) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0;
                for (int p = 0; p < k; p++) s += x[i * k + p] * w[j * k + p];
                y[i * n + j] = s;
            }
        }
    }
}
