package dev.prune4j.tensor.kernels;

import static dev.prune4j.tensor.kernels.Gemm.MR;
import static dev.prune4j.tensor.kernels.Gemm.NR;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies blocks of GEMM operands into the panel layout of {@link Gemm}'s micro-kernel: step {@code p} of the depth
 * holds one value per row (or column) of a panel, so the kernel reads both panels front to back. Rows or columns
 * past the edge of the matrix are zero. Packing is about a tenth of the GEMM time at model shapes, so it is tuned too.
 */
final class Pack {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();
    /** MR floats: one depth step of an A panel. */
    private static final VectorSpecies<Float> PANEL_ROW = FloatVector.SPECIES_128;
    /** Depth steps of a transposed B panel written per pass, so the pass's writes (CHUNK·NR floats) stay in L1. */
    private static final int CHUNK = 64;

    static {
        if (PANEL_ROW.length() != MR) throw new AssertionError("A panel step must be one 128-bit vector");
    }

    private Pack() {}

    /**
     * Packs op(A)[ic .. ic+mc, pc .. pc+kc] into MR-row panels: {@code dst[ir*kc + p*MR + r] = op(A)[ic+ir+r, pc+p]}.
     *
     * @param a [m, k] row-major with stride lda, or [k, m] when {@code trans}
     */
    static void a(boolean trans, float[] a, int aOff, int lda, int ic, int pc, int mc, int kc, float[] dst) {
        int full = mc / MR * MR;
        if (full < mc) Arrays.fill(dst, full * kc, (full + MR) * kc, 0f);
        if (trans) {
            // A is stored [k, m]: a depth step of a panel is MR adjacent floats of one row of A.
            for (int p = 0; p < kc; p++) {
                int src = aOff + (pc + p) * lda + ic;
                int ir = 0;
                for (; ir < full; ir += MR) {
                    FloatVector.fromArray(PANEL_ROW, a, src + ir).intoArray(dst, ir * kc + p * MR);
                }
                for (int r = 0; ir + r < mc; r++) dst[ir * kc + p * MR + r] = a[src + ir + r];
            }
        } else {
            // Four rows at once, so the writes are contiguous.
            for (int ir = 0; ir < full; ir += MR) {
                int s0 = aOff + (ic + ir) * lda + pc, s1 = s0 + lda, s2 = s1 + lda, s3 = s2 + lda;
                int d = ir * kc;
                for (int p = 0; p < kc; p++, d += MR) {
                    dst[d] = a[s0 + p];
                    dst[d + 1] = a[s1 + p];
                    dst[d + 2] = a[s2 + p];
                    dst[d + 3] = a[s3 + p];
                }
            }
            for (int i = full; i < mc; i++) {
                int src = aOff + (ic + i) * lda + pc, d = full * kc + (i - full);
                for (int p = 0; p < kc; p++, d += MR) dst[d] = a[src + p];
            }
        }
    }

    /**
     * Packs op(B)[pc .. pc+kc, jc .. jc+nc] into NR-column panels:
     * {@code dst[dstOff + jr*kc + p*NR + j] = op(B)[pc+p, jc+jr+j]}.
     *
     * @param b [k, n] row-major with stride ldb, or [n, k] when {@code trans} (a weight matrix {@code [out, in]})
     */
    static void b(boolean trans, float[] b, int bOff, int ldb, int pc, int jc, int kc, int nc, float[] dst,
                  int dstOff) {
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr);
            int panel = dstOff + jr * kc;
            if (cols < NR) Arrays.fill(dst, panel, panel + NR * kc, 0f);
            if (trans) {
                // A transpose: read rows of B contiguously, write with stride NR, CHUNK steps at a time.
                for (int p0 = 0; p0 < kc; p0 += CHUNK) {
                    int p1 = Math.min(kc, p0 + CHUNK);
                    for (int j = 0; j < cols; j++) {
                        int src = bOff + (jc + jr + j) * ldb + pc;
                        for (int p = p0, d = panel + p0 * NR + j; p < p1; p++, d += NR) dst[d] = b[src + p];
                    }
                }
            } else if (cols == NR) {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (pc + p) * ldb + jc + jr, d = panel + p * NR;
                    for (int j = 0; j < NR; j += L) FloatVector.fromArray(F, b, src + j).intoArray(dst, d + j);
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(b, bOff + (pc + p) * ldb + jc + jr, dst, panel + p * NR, cols);
                }
            }
        }
    }
}
