package dev.prune4j.prune.method;

import dev.prune4j.prune.calib.InputStatistics;
import dev.prune4j.prune.linalg.Cholesky;
import dev.prune4j.prune.linalg.DoubleOps;
import dev.prune4j.prune.linalg.NotPositiveDefiniteException;
import dev.prune4j.tensor.Parallel;
import java.util.List;

/**
 * APT (Zhao et al., 2024): pruning as the multiple-removal problem. For a row {@code w} and a pruned set {@code P},
 * the optimal update is {@code δ = −w_P [H⁻¹]_PP⁻¹ [H⁻¹]_P,:} with loss {@code ½ w_P [H⁻¹]_PP⁻¹ w_Pᵀ}, where SparseGPT
 * applies single removals one column at a time. The sweep freezes columns in blocks like SparseGPT; inside a block
 * the inverse Hessian of the still-free columns {@code F} is {@code G = U_FFᵀU_FF}, each row's removals are solved
 * jointly with one small SPD system, and N:M patterns can be chosen by their joint loss over all C(M,N) candidates.
 * With {@link AptOptions.Compensation#ROW} (and AUTO where affordable) each row is finally re-solved with its whole
 * mask (METHODS.md §3.3 [R]).
 */
public final class AptPruner implements LinearPruner {
    private final AptOptions options;

    public AptPruner(AptOptions options) {
        this.options = options;
    }

    public AptPruner() {
        this(AptOptions.defaults());
    }

    public AptOptions options() {
        return options;
    }

    @Override
    public String name() {
        return "apt";
    }

    @Override
    public StatisticsNeed needs() {
        return StatisticsNeed.FULL;
    }

    @Override
    public PruneResult prune(float[] weight, int rows, int columns, InputStatistics stats, SparsityTarget target) {
        if (target instanceof SparsityTarget.NofM nm && options.blockSize() % nm.m() != 0) {
            throw new IllegalArgumentException("APT block size " + options.blockSize() + " must be a multiple of M=" + nm.m());
        }
        double[] w = new double[weight.length];
        for (int i = 0; i < w.length; i++) w[i] = weight[i];
        DampedHessian hessian;
        try {
            hessian = DampedHessian.prepareShared(stats, w, rows, options.damping());
        } catch (NotPositiveDefiniteException e) {
            return MagnitudePruner.fallback(weight, rows, columns, target, options.damping(), e);
        }
        double[] original = w.clone();
        boolean[] mask = new boolean[w.length];
        double[] rowLoss = new double[rows];
        for (int b = 0; b < columns; b += options.blockSize()) {
            int width = Math.min(options.blockSize(), columns - b);
            double[] g = freeInverseRows(hessian.upperInv, columns, b, width);
            selectBlock(w, g, rows, columns, b, width, target, mask);
            compensateBlock(w, g, rows, columns, b, width, mask, rowLoss);
        }
        double pruned = switch (target) {
            case SparsityTarget.Unstructured un -> un.fraction();
            case SparsityTarget.NofM nm -> (double) nm.n() / nm.m();
        };
        if (options.rowCompensation(rows, columns, pruned)) {
            System.arraycopy(original, 0, w, 0, w.length);
            java.util.Arrays.fill(rowLoss, 0);
            compensateRows(w, rows, columns, mask, hessian, rowLoss);
        }
        double loss = 0;
        for (double l : rowLoss) loss += l;
        for (int i = 0; i < w.length; i++) weight[i] = (float) w[i];
        return new PruneResult(Masks.apply(weight, mask), hessian.damping, null, loss);
    }

    /**
     * Rows {@code [b, b+width)} of the inverse Hessian of the free columns {@code F = [b, n)}:
     * {@code G_{blk,F} = U_{blk,blk}ᵀ U_{blk,F}} (rows of U below the block vanish on the block's columns).
     *
     * @return [width, n−b]
     */
    static double[] freeInverseRows(double[] u, int n, int b, int width) {
        int fw = n - b;
        double[] g = new double[width * fw];
        Parallel.forRange(width, 8, (from, to) -> {
            for (int i = from; i < to; i++) {
                for (int k = b; k <= b + i; k++) {
                    double uki = u[k * n + b + i];
                    // U[k, j] is zero for j < k, so the row of U from column k on is all that contributes
                    if (uki != 0) DoubleOps.axpy(uki, u, k * n + k, g, i * fw + (k - b), n - k);
                }
            }
        });
        return g;
    }

    /** Chooses the block's mask from the current weights and {@code G}. */
    private void selectBlock(double[] w, double[] g, int rows, int columns, int b, int width, SparsityTarget target,
                             boolean[] mask) {
        int fw = columns - b;
        switch (target) {
            case SparsityTarget.Unstructured un -> {
                float[] score = new float[rows * columns];
                for (int r = 0; r < rows; r++) {
                    for (int i = 0; i < width; i++) {
                        double wv = w[r * columns + b + i];
                        score[r * columns + b + i] = (float) (wv * wv / g[i * fw + i]);
                    }
                }
                int count = MaskSelection.blockCount(un.fraction(), rows, b, width);
                MaskSelection.lowestInColumns(score, rows, columns, b, width, count, mask);
            }
            case SparsityTarget.NofM nm -> {
                List<int[]> patterns = options.patternRule() == AptOptions.PatternRule.JOINT
                        ? NmPatterns.all(nm.n(), nm.m()) : null;
                Parallel.forRange(rows, 8, (from, to) -> {
                    float[] score = new float[nm.m()];
                    for (int r = from; r < to; r++) {
                        for (int i = 0; i < width; i += nm.m()) {
                            int off = r * columns + b + i;
                            if (patterns == null) {
                                for (int k = 0; k < nm.m(); k++) {
                                    score[k] = (float) (w[off + k] * w[off + k] / g[(i + k) * fw + i + k]);
                                }
                                MaskSelection.lowest(score, 0, nm.m(), nm.n(), mask, off);
                            } else {
                                int[] best = NmPatterns.leastJointLoss(patterns, w, off, g, fw, i);
                                for (int k : best) mask[off + k] = true;
                            }
                        }
                    }
                });
            }
        }
    }

    /**
     * Each row's removals in the block, solved jointly: {@code G_PP z = w_P}, then {@code w_F −= zᵀ G_{P,F}}, which
     * zeroes {@code w_P} and gives the free columns the optimal compensation.
     */
    private static void compensateBlock(double[] w, double[] g, int rows, int columns, int b, int width,
                                        boolean[] mask, double[] rowLoss) {
        int fw = columns - b;
        Parallel.forRange(rows, 4, (from, to) -> {
            int[] pruned = new int[width];
            for (int r = from; r < to; r++) {
                int row = r * columns;
                int q = 0;
                for (int i = 0; i < width; i++) if (mask[row + b + i]) pruned[q++] = i;
                if (q == 0) continue;
                double[] a = new double[q * q];
                double[] z = new double[q];
                for (int x = 0; x < q; x++) {
                    z[x] = w[row + b + pruned[x]];
                    for (int y = 0; y < q; y++) a[x * q + y] = g[pruned[x] * fw + pruned[y]];
                }
                double[] wp = z.clone();
                Cholesky.solveInPlace(a, q, z);
                rowLoss[r] += DoubleOps.dot(wp, 0, z, 0, q) / 2;
                for (int x = 0; x < q; x++) DoubleOps.axpy(-z[x], g, pruned[x] * fw, w, row + b, fw);
                for (int x = 0; x < q; x++) w[row + b + pruned[x]] = 0;
            }
        });
    }

    /**
     * The least-squares optimum of every row for a fixed mask: minimise {@code ½δHδᵀ} subject to {@code w_P = 0}.
     * Solved through {@code [H⁻¹]_PP} (size |P|) or through {@code H_FF} (size |F|), whichever system is smaller.
     *
     * @param w    [rows, n] the weights before pruning (dead columns already zero), replaced by the result
     * @param mask [rows, n] true where the weight must be zero
     */
    static void compensateRows(double[] w, int rows, int n, boolean[] mask, DampedHessian hessian, double[] rowLoss) {
        double[] h = hessian.h;
        double[] inv = hessian.inverse();
        Parallel.forRange(rows, 2, (from, to) -> {
            int[] pIdx = new int[n];
            int[] fIdx = new int[n];
            // one system buffer per thread, grown to the largest row: a fresh q×q matrix per row made 2.7 GB of
            // garbage per SmolLM2 down_proj and let the heap peak at 9.7 GB
            double[] system = new double[0];
            for (int r = from; r < to; r++) {
                int row = r * n;
                int q = 0, f = 0;
                for (int j = 0; j < n; j++) {
                    if (mask[row + j]) pIdx[q++] = j;
                    else fIdx[f++] = j;
                }
                if (q == 0) continue;
                if (q <= f) {
                    double[] a = system = gather(inv, n, pIdx, q, system);
                    double[] z = new double[q];
                    for (int x = 0; x < q; x++) z[x] = w[row + pIdx[x]];
                    double[] wp = z.clone();
                    Cholesky.solveInPlace(a, q, z);
                    rowLoss[r] = DoubleOps.dot(wp, 0, z, 0, q) / 2;
                    for (int x = 0; x < q; x++) DoubleOps.axpy(-z[x], inv, pIdx[x] * n, w, row, n);
                } else {
                    double[] a = system = gather(h, n, fIdx, f, system);
                    double[] y = new double[f];
                    double quad = 0;
                    for (int x = 0; x < q; x++) {
                        double wpx = w[row + pIdx[x]];
                        if (wpx == 0) continue;
                        for (int t = 0; t < f; t++) y[t] += h[fIdx[t] * n + pIdx[x]] * wpx;
                        for (int t = 0; t < q; t++) quad += wpx * h[pIdx[x] * n + pIdx[t]] * w[row + pIdx[t]];
                    }
                    double[] rhs = y.clone();
                    Cholesky.solveInPlace(a, f, y);
                    rowLoss[r] = (quad - DoubleOps.dot(rhs, 0, y, 0, f)) / 2;
                    for (int t = 0; t < f; t++) w[row + fIdx[t]] += y[t];
                }
                for (int x = 0; x < q; x++) w[row + pIdx[x]] = 0;
            }
        });
    }

    /** {@code m[idx, idx]} as a dense count×count matrix in {@code into}, or in a new array if it is too small. */
    private static double[] gather(double[] m, int n, int[] idx, int count, double[] into) {
        double[] a = into.length >= count * count ? into : new double[count * count];
        for (int x = 0; x < count; x++) {
            int src = idx[x] * n;
            for (int y = 0; y < count; y++) a[x * count + y] = m[src + idx[y]];
        }
        return a;
    }

    /**
     * For tests and tools: the jointly optimal compensation of every row for a given mask, on float weights.
     *
     * @param weight [rows, columns], replaced by the least-squares optimum with {@code weight[mask] = 0}
     */
    public static double compensate(float[] weight, int rows, int columns, InputStatistics stats, boolean[] mask,
                                    double damping) {
        double[] w = new double[weight.length];
        for (int i = 0; i < w.length; i++) w[i] = weight[i];
        DampedHessian hessian = DampedHessian.prepareShared(stats, w, rows, damping);
        double[] rowLoss = new double[rows];
        compensateRows(w, rows, columns, mask, hessian, rowLoss);
        for (int i = 0; i < w.length; i++) weight[i] = (float) w[i];
        Masks.apply(weight, mask);
        double loss = 0;
        for (double l : rowLoss) loss += l;
        return loss;
    }
}
