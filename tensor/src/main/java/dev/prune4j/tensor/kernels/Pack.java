package dev.prune4j.tensor.kernels;

import java.util.Arrays;

/**
 * Copies blocks of GEMM operands into the panel layout of {@link Gemm}'s micro-kernel: element {@code p} of the
 * depth comes first for every row (or column) of a panel, so the kernel reads both panels front to back. Rows or
 * columns past the edge of the matrix are zero.
 */
final class Pack {
    private Pack() {}

    /**
     * Packs op(A)[ic .. ic+mc, pc .. pc+kc] into MR-row panels: {@code dst[ir*kc + p*mr + r] = op(A)[ic+ir+r, pc+p]}.
     *
     * @param a [m, k] row-major with stride lda, or [k, m] when {@code trans}
     */
    static void a(boolean trans, float[] a, int aOff, int lda, int ic, int pc, int mc, int kc, int mr, float[] dst) {
        for (int ir = 0; ir < mc; ir += mr) {
            int rows = Math.min(mr, mc - ir);
            int panel = ir * kc;
            if (rows < mr) Arrays.fill(dst, panel, panel + mr * kc, 0f);
            if (trans) {
                // op(A) rows are contiguous in memory: copy a short run per depth step.
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (pc + p) * lda + ic + ir;
                    int d = panel + p * mr;
                    for (int r = 0; r < rows; r++) dst[d + r] = a[src + r];
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    int src = aOff + (ic + ir + r) * lda + pc;
                    for (int p = 0, d = panel + r; p < kc; p++, d += mr) dst[d] = a[src + p];
                }
            }
        }
    }

    /**
     * Packs op(B)[pc .. pc+kc, jc .. jc+nc] into NR-column panels: {@code dst[jr*kc + p*nr + j] = op(B)[pc+p, jc+jr+j]}.
     *
     * @param b [k, n] row-major with stride ldb, or [n, k] when {@code trans} (a weight matrix {@code [out, in]})
     */
    static void b(boolean trans, float[] b, int bOff, int ldb, int pc, int jc, int kc, int nc, int nr, float[] dst) {
        for (int jr = 0; jr < nc; jr += nr) {
            int cols = Math.min(nr, nc - jr);
            int panel = jr * kc;
            if (cols < nr) Arrays.fill(dst, panel, panel + nr * kc, 0f);
            if (trans) {
                for (int j = 0; j < cols; j++) {
                    int src = bOff + (jc + jr + j) * ldb + pc;
                    for (int p = 0, d = panel + j; p < kc; p++, d += nr) dst[d] = b[src + p];
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(b, bOff + (pc + p) * ldb + jc + jr, dst, panel + p * nr, cols);
                }
            }
        }
    }
}
