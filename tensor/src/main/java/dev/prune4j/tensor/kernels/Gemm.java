package dev.prune4j.tensor.kernels;

import dev.prune4j.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packed fp32 GEMM, {@code C (+)= op(A) · op(B)} on row-major arrays, in the BLIS layout: op(A) is packed into
 * MR-row panels and op(B) into NR-column panels, so every transpose case runs the same register-blocked micro-kernel.
 */
public final class Gemm {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();

    /** Micro-tile shape: MR rows by NR = 4 vectors. Eight accumulators: C2 spills twelve and halves the speed. */
    static final int MR = Integer.getInteger("prune4j.gemm.mr", 2);
    static final int NR = (8 / MR) * L;
    /** Depth of a packed block: an A panel (MR·KC) and a B panel (KC·NR) stay in L1 during one micro-kernel call. */
    static final int KC = Integer.getInteger("prune4j.gemm.kc", 256);
    /** Rows of A packed at once: MC·KC floats stay in L2 while the B block streams past them. */
    static final int MC = Integer.getInteger("prune4j.gemm.mc", 192) / MR * MR;
    /** Columns of B packed at once (KC·NC floats, in L3). */
    static final int NC = 4096 / NR * NR;
    /** Below this many multiply-adds the work runs on the calling thread: forking costs more than it saves. */
    private static final long MIN_PARALLEL_WORK = 1L << 21;

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private Gemm() {}

    /**
     * {@code c = a · bᵀ}: the linear layer {@code y = x · wᵀ}.
     *
     * @param a [m, k] row-major
     * @param b [n, k] row-major
     * @param c [m, n] row-major, overwritten
     */
    public static void nt(float[] a, int m, int k, float[] b, int n, float[] c) {
        gemm(false, true, m, n, k, a, 0, k, b, 0, k, c, 0, n, false);
    }

    /**
     * {@code c = a · b}.
     *
     * @param a [m, k] row-major
     * @param b [k, n] row-major
     * @param c [m, n] row-major, overwritten
     */
    public static void nn(float[] a, int m, int k, float[] b, int n, float[] c) {
        gemm(false, false, m, n, k, a, 0, k, b, 0, n, c, 0, n, false);
    }

    /**
     * {@code c = aᵀ · b}, e.g. the Hessian {@code XᵀX} with {@code a = b = x}.
     *
     * @param a [k, m] row-major
     * @param b [k, n] row-major
     * @param c [m, n] row-major, overwritten
     */
    public static void tn(float[] a, int m, int k, float[] b, int n, float[] c) {
        gemm(true, false, m, n, k, a, 0, m, b, 0, n, c, 0, n, false);
    }

    /** {@link #nt(float[], int, int, float[], int, float[])} on sub-matrices; {@code accumulate} adds into C. */
    public static void nt(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc, boolean accumulate) {
        gemm(false, true, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /** {@link #nn(float[], int, int, float[], int, float[])} on sub-matrices; {@code accumulate} adds into C. */
    public static void nn(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc, boolean accumulate) {
        gemm(false, false, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /** {@link #tn(float[], int, int, float[], int, float[])} on sub-matrices; {@code accumulate} adds into C. */
    public static void tn(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc, boolean accumulate) {
        gemm(true, false, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /**
     * The general form, BLAS-style: {@code C[m,n] = op(A)[m,k] · op(B)[k,n]}, plus the old C when {@code accumulate}.
     * A is stored {@code [m, k]} (or {@code [k, m]} when {@code transA}) with row stride {@code lda}, starting at
     * {@code a[aOff]}; likewise B is {@code [k, n]} (or {@code [n, k]}) and C is {@code [m, n]}.
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                            float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, Parallel.threads());
    }

    /** As the public form, on at most {@code threads} threads (the tests compare 1 with many). */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate, int threads) {
        checkShapes(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0 || !Simd.ENABLED) {
            reference(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        // Split C into one contiguous slab of whole micro-tiles per thread, along the dimension with more tiles.
        // Every element is then summed in the same order as on one thread, so the result does not depend on threads.
        boolean splitRows = ceilDiv(m, MR) >= ceilDiv(n, NR);
        int tiles = splitRows ? ceilDiv(m, MR) : ceilDiv(n, NR);
        long work = (long) m * n * k;
        int parts = (int) Math.max(1, Math.min(Math.min(threads, tiles), work / MIN_PARALLEL_WORK));
        if (parts == 1) {
            blocked(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        Parallel.forRange(parts, 1, (from, to) -> {
            for (int part = from; part < to; part++) {
                int t0 = (int) ((long) tiles * part / parts), t1 = (int) ((long) tiles * (part + 1) / parts);
                if (splitRows) {
                    int i0 = t0 * MR, i1 = Math.min(m, t1 * MR);
                    int aAt = aOff + (transA ? i0 : i0 * lda);
                    blocked(transA, transB, i1 - i0, n, k, a, aAt, lda, b, bOff, ldb, c, cOff + i0 * ldc, ldc, accumulate);
                } else {
                    int j0 = t0 * NR, j1 = Math.min(n, t1 * NR);
                    int bAt = bOff + (transB ? j0 * ldb : j0);
                    blocked(transA, transB, m, j1 - j0, k, a, aOff, lda, b, bAt, ldb, c, cOff + j0, ldc, accumulate);
                }
            }
        });
    }

    /** The three blocking loops of BLIS (NC columns, KC depth, MC rows) on the calling thread. */
    private static void blocked(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                                float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        Workspace ws = WORKSPACE.get();
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float[] pb = ws.packedB(ceilDiv(nc, NR) * NR * kc);
                Pack.b(transB, b, bOff, ldb, pc, jc, kc, nc, NR, pb);
                // After the first depth block C holds a partial sum, so later blocks always add.
                boolean add = accumulate || pc > 0;
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    float[] pa = ws.packedA(ceilDiv(mc, MR) * MR * kc);
                    Pack.a(transA, a, aOff, lda, ic, pc, mc, kc, MR, pa);
                    macroKernel(mc, nc, kc, pa, pb, c, cOff + ic * ldc + jc, ldc, add, ws.tile);
                }
            }
        }
    }

    /** Walks the packed block tile by tile; edge tiles go through a scratch tile so the kernel never masks. */
    private static void macroKernel(int mc, int nc, int kc, float[] pa, float[] pb, float[] c, int cOff, int ldc,
                                    boolean add, float[] tile) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int cAt = cOff + ir * ldc + jr;
                if (mr == MR && nr == NR) {
                    microKernel(kc, pa, ir * kc, pb, jr * kc, c, cAt, ldc, add);
                } else {
                    microKernel(kc, pa, ir * kc, pb, jr * kc, tile, 0, NR, false);
                    for (int i = 0; i < mr; i++) {
                        for (int j = 0; j < nr; j++) {
                            c[cAt + i * ldc + j] = add ? c[cAt + i * ldc + j] + tile[i * NR + j] : tile[i * NR + j];
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code C[MR, NR] (+)= Apanel · Bpanel} over depth {@code kc}. The sum starts from zero and is added to C at
     * the end, so full tiles and edge tiles round the same way.
     *
     * @param pa MR-row panel: {@code pa[ai + p*MR + r]} is op(A)[r, p]
     * @param pb NR-column panel: {@code pb[bi + p*NR + j]} is op(B)[p, j]
     */
    private static void microKernel(int kc, float[] pa, int ai, float[] pb, int bi, float[] c, int ci, int ldc,
                                    boolean add) {
        if (MR == 2) kernel2xNR(kc, pa, ai, pb, bi, c, ci, ldc, add);
        else kernel4xNR(kc, pa, ai, pb, bi, c, ci, ldc, add);
    }

    /** 2 rows × 4 vectors. */
    private static void kernel2xNR(int kc, float[] pa, int ai, float[] pb, int bi, float[] c, int ci, int ldc,
                                   boolean add) {
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        for (int p = 0; p < kc; p++, ai += 2, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(F, pb, bi);
            FloatVector b1 = FloatVector.fromArray(F, pb, bi + L);
            FloatVector b2 = FloatVector.fromArray(F, pb, bi + 2 * L);
            FloatVector b3 = FloatVector.fromArray(F, pb, bi + 3 * L);
            FloatVector a0 = FloatVector.broadcast(F, pa[ai]);
            c00 = b0.fma(a0, c00);
            c01 = b1.fma(a0, c01);
            c02 = b2.fma(a0, c02);
            c03 = b3.fma(a0, c03);
            FloatVector a1 = FloatVector.broadcast(F, pa[ai + 1]);
            c10 = b0.fma(a1, c10);
            c11 = b1.fma(a1, c11);
            c12 = b2.fma(a1, c12);
            c13 = b3.fma(a1, c13);
        }
        store(c00, c, ci, add);
        store(c01, c, ci + L, add);
        store(c02, c, ci + 2 * L, add);
        store(c03, c, ci + 3 * L, add);
        store(c10, c, ci + ldc, add);
        store(c11, c, ci + ldc + L, add);
        store(c12, c, ci + ldc + 2 * L, add);
        store(c13, c, ci + ldc + 3 * L, add);
    }

    /** 4 rows × 2 vectors. */
    private static void kernel4xNR(int kc, float[] pa, int ai, float[] pb, int bi, float[] c, int ci, int ldc,
                                   boolean add) {
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++, ai += 4, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(F, pb, bi);
            FloatVector b1 = FloatVector.fromArray(F, pb, bi + L);
            FloatVector a0 = FloatVector.broadcast(F, pa[ai]);
            c00 = b0.fma(a0, c00);
            c01 = b1.fma(a0, c01);
            FloatVector a1 = FloatVector.broadcast(F, pa[ai + 1]);
            c10 = b0.fma(a1, c10);
            c11 = b1.fma(a1, c11);
            FloatVector a2 = FloatVector.broadcast(F, pa[ai + 2]);
            c20 = b0.fma(a2, c20);
            c21 = b1.fma(a2, c21);
            FloatVector a3 = FloatVector.broadcast(F, pa[ai + 3]);
            c30 = b0.fma(a3, c30);
            c31 = b1.fma(a3, c31);
        }
        store(c00, c, ci, add);
        store(c01, c, ci + L, add);
        store(c10, c, ci + ldc, add);
        store(c11, c, ci + ldc + L, add);
        store(c20, c, ci + 2 * ldc, add);
        store(c21, c, ci + 2 * ldc + L, add);
        store(c30, c, ci + 3 * ldc, add);
        store(c31, c, ci + 3 * ldc + L, add);
    }

    private static void store(FloatVector sum, float[] c, int at, boolean add) {
        (add ? FloatVector.fromArray(F, c, at).add(sum) : sum).intoArray(c, at);
    }

    /** Plain triple loop with a double accumulator per output: the oracle for the packed path. Same contract. */
    public static void reference(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                                 float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += (double) aip * bpj;
                }
                int at = cOff + i * ldc + j;
                c[at] = accumulate ? (float) (c[at] + s) : (float) s;
            }
        }
    }

    private static void checkShapes(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                                    float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: negative size m=" + m + " n=" + n + " k=" + k);
        }
        checkOperand("A", a, aOff, lda, transA ? k : m, transA ? m : k);
        checkOperand("B", b, bOff, ldb, transB ? n : k, transB ? k : n);
        checkOperand("C", c, cOff, ldc, m, n);
    }

    /** A stored {@code rows × cols} matrix with row stride {@code ld} at {@code off} must fit in its array. */
    private static void checkOperand(String name, float[] x, int off, int ld, int rows, int cols) {
        if (rows == 0 || cols == 0) return;
        long last = off + (long) (rows - 1) * ld + cols - 1;
        if (off < 0 || ld < cols || last >= x.length) {
            throw new IllegalArgumentException("gemm: " + name + " stored as " + rows + "x" + cols + " at offset "
                    + off + " with row stride " + ld + " needs stride >= " + cols + " and " + (last + 1)
                    + " floats, array has " + x.length);
        }
    }

    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    /** Per-thread packing buffers, grown on demand and kept: packing must not allocate per call. */
    private static final class Workspace {
        private float[] a = new float[0];
        private float[] b = new float[0];
        final float[] tile = new float[MR * NR];

        float[] packedA(int size) {
            if (a.length < size) a = new float[size];
            return a;
        }

        float[] packedB(int size) {
            if (b.length < size) b = new float[size];
            return b;
        }
    }
}
