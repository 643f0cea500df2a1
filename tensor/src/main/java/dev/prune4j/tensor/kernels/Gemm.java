package dev.prune4j.tensor.kernels;

import dev.prune4j.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packed fp32 GEMM, {@code C (+)= op(A) · op(B)} on row-major arrays, in the BLIS layout: op(A) is packed into
 * MR-row panels and op(B) into NR-column panels, so every transpose case runs the same register-blocked micro-kernel.
 * Runs on {@link Parallel}'s threads; the result is bit-identical for any thread count.
 */
public final class Gemm {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();

    /**
     * Micro-tile: MR rows by NR = 2 vectors, eight accumulators. C2 spills twelve and halves the speed; on this
     * Zen 3 (4-cycle FMA, 2 pipes) eight chains are just enough, and 4×16 measured a little ahead of 2×32 and 3×24.
     */
    static final int MR = 4;
    static final int NR = 2 * L;
    /** Below this many multiply-adds the work runs on the calling thread: forking costs more than it saves. */
    private static final long MIN_PARALLEL_WORK = 1L << 21;
    /** Fewer row tiles per thread than this and the threads split the columns instead (decode-sized batches). */
    private static final int MIN_ROW_TILES_PER_THREAD = 4;

    /**
     * Block sizes of the three outer loops.
     *
     * @param kc     maximum depth of a packed block; k is cut into equal blocks no deeper than this
     * @param aBlock floats of packed A per block (rows × depth)
     * @param bBlock floats of packed B per block (depth × columns)
     */
    record Blocking(int kc, int aBlock, int bBlock) {
        /**
         * Deep blocks pay off: each extra depth block reloads every C tile from L2/L3, which costs more than B panels
         * that spill out of L1 into L2. A: 384 KB of the 512 KB L2; B: 8 MB of L3, reused by every row block.
         */
        static final Blocking DEFAULT = new Blocking(1024, 96 * 1024, 2 * 1024 * 1024);
    }

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
        gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, Parallel.threads(),
                Blocking.DEFAULT);
    }

    /** As the public form, on at most {@code threads} threads and with the given blocks (tests use tiny ones). */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate, int threads,
                     Blocking blocking) {
        checkShapes(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0 || !Simd.ENABLED) {
            reference(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        int rowTiles = ceilDiv(m, MR), colTiles = ceilDiv(n, NR);
        int parts = (int) Math.max(1, Math.min(threads, (long) m * n * k / MIN_PARALLEL_WORK));
        if (parts > 1 && rowTiles < parts * MIN_ROW_TILES_PER_THREAD && colTiles > rowTiles) {
            // A handful of rows: each thread takes a slab of columns and packs its own part of B.
            int slabs = Math.min(parts, colTiles);
            forParts(colTiles, slabs, (t0, t1) -> {
                int j0 = t0 * NR, j1 = Math.min(n, t1 * NR);
                int bAt = bOff + (transB ? j0 * ldb : j0);
                blocked(transA, transB, m, j1 - j0, k, a, aOff, lda, b, bAt, ldb, c, cOff + j0, ldc, accumulate, 1,
                        blocking);
            });
        } else {
            blocked(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate,
                    Math.min(parts, rowTiles), blocking);
        }
    }

    /**
     * The blocking loops of BLIS: column blocks, then depth in equal blocks, then row blocks. Each depth block of B
     * is packed once (its panels shared out over {@code parts} threads) and read by all threads, each of which owns a
     * slab of whole row tiles. Every element is summed in the same order whatever the number of threads.
     */
    private static void blocked(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                                float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate,
                                int parts, Blocking blocking) {
        int kcMax = ceilDiv(k, ceilDiv(k, blocking.kc()));
        int mcMax = Math.max(MR, blocking.aBlock() / kcMax / MR * MR);
        int ncMax = Math.max(NR, blocking.bBlock() / kcMax / NR * NR);
        int rowTiles = ceilDiv(m, MR);
        float[] pb = WORKSPACE.get().packedB(ceilDiv(Math.min(ncMax, n), NR) * NR * kcMax);
        for (int jc = 0; jc < n; jc += ncMax) {
            int nc = Math.min(ncMax, n - jc);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc), atJ = jc, atP = pc;
                forParts(ceilDiv(nc, NR), parts, (p0, p1) -> Pack.b(transB, b, bOff, ldb, atP, atJ + p0 * NR, kc,
                        Math.min(nc, p1 * NR) - p0 * NR, pb, p0 * NR * kc));
                // After the first depth block C holds a partial sum, so later blocks always add.
                boolean add = accumulate || pc > 0;
                forParts(rowTiles, parts, (t0, t1) -> {
                    Workspace ws = WORKSPACE.get();
                    int i1 = Math.min(m, t1 * MR);
                    for (int ic = t0 * MR; ic < i1; ic += mcMax) {
                        int mc = Math.min(mcMax, i1 - ic);
                        float[] pa = ws.packedA(ceilDiv(mc, MR) * MR * kc);
                        Pack.a(transA, a, aOff, lda, ic, atP, mc, kc, pa);
                        macroKernel(mc, nc, kc, pa, pb, c, cOff + ic * ldc + atJ, ldc, add, ws.tile);
                    }
                });
            }
        }
    }

    /** Runs {@code body} over {@code [0, n)} cut into {@code parts} contiguous ranges, in parallel when parts > 1. */
    private static void forParts(int n, int parts, Parallel.RangeBody body) {
        if (parts <= 1) {
            body.run(0, n);
            return;
        }
        Parallel.forRange(parts, 1, (from, to) ->
                body.run((int) ((long) n * from / parts), (int) ((long) n * to / parts)));
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
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++) {
            // Indices as linear functions of p (not separately bumped counters) let C2 hoist the range checks.
            int bp = bi + p * NR, ap = ai + p * MR;
            FloatVector b0 = FloatVector.fromArray(F, pb, bp);
            FloatVector b1 = FloatVector.fromArray(F, pb, bp + L);
            FloatVector a0 = FloatVector.broadcast(F, pa[ap]);
            c00 = b0.fma(a0, c00);
            c01 = b1.fma(a0, c01);
            FloatVector a1 = FloatVector.broadcast(F, pa[ap + 1]);
            c10 = b0.fma(a1, c10);
            c11 = b1.fma(a1, c11);
            FloatVector a2 = FloatVector.broadcast(F, pa[ap + 2]);
            c20 = b0.fma(a2, c20);
            c21 = b1.fma(a2, c21);
            FloatVector a3 = FloatVector.broadcast(F, pa[ap + 3]);
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
