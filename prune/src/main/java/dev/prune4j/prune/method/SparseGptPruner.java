package dev.prune4j.prune.method;

import dev.prune4j.prune.calib.InputStatistics;
import dev.prune4j.prune.linalg.DoubleOps;
import dev.prune4j.prune.linalg.NotPositiveDefiniteException;
import dev.prune4j.tensor.Parallel;

/**
 * SparseGPT (Frantar and Alistarh, 2023), as the IST-DASLab reference does it: columns are frozen left to right in
 * blocks; inside a block each pruned weight's error {@code (w−q)/U_jj} is spread over the block's later columns
 * through row {@code j} of {@code U}, and the block's accumulated errors reach all later columns in one lazy update.
 * Unstructured masks are chosen per block from {@code w²/U_jj²}; N:M masks every {@code M} columns during the sweep.
 * Rows are independent once the mask rule is fixed, so they run in parallel.
 */
public final class SparseGptPruner implements LinearPruner {
    private final int blockSize;
    private final double damping;
    private final boolean inclusiveThreshold;

    /**
     * @param blockSize          columns per lazy-update block (reference: 128)
     * @param damping            relative diagonal damping (reference: 0.01)
     * @param inclusiveThreshold reproduce the reference's {@code score <= sorted[k]} rule, which zeroes k+1 (or more,
     *                           on ties) weights per block instead of exactly k; only for matching the reference
     */
    public SparseGptPruner(int blockSize, double damping, boolean inclusiveThreshold) {
        if (blockSize < 1) throw new IllegalArgumentException("block size must be positive, got " + blockSize);
        if (damping < 0) throw new IllegalArgumentException("damping must be non-negative, got " + damping);
        this.blockSize = blockSize;
        this.damping = damping;
        this.inclusiveThreshold = inclusiveThreshold;
    }

    public SparseGptPruner() {
        this(128, 0.01, false);
    }

    @Override
    public String name() {
        return "sparsegpt";
    }

    @Override
    public StatisticsNeed needs() {
        return StatisticsNeed.FULL;
    }

    @Override
    public PruneResult prune(float[] weight, int rows, int columns, InputStatistics stats, SparsityTarget target) {
        if (target instanceof SparsityTarget.NofM nm && blockSize % nm.m() != 0) {
            throw new IllegalArgumentException("block size " + blockSize + " must be a multiple of M=" + nm.m());
        }
        double[] w = new double[weight.length];
        for (int i = 0; i < w.length; i++) w[i] = weight[i];
        DampedHessian hessian;
        try {
            hessian = DampedHessian.prepareShared(stats, w, rows, damping);
        } catch (NotPositiveDefiniteException e) {
            return MagnitudePruner.fallback(weight, rows, columns, target, damping, e);
        }
        double[] u = hessian.upperInv;
        boolean[] mask = new boolean[w.length];
        double[] rowLoss = new double[rows];
        for (int b = 0; b < columns; b += blockSize) {
            int width = Math.min(blockSize, columns - b);
            if (target instanceof SparsityTarget.Unstructured un) selectBlock(w, u, rows, columns, b, width, un, mask);
            sweepBlock(w, u, rows, columns, b, width, target, mask, rowLoss);
        }
        double loss = 0;
        for (double l : rowLoss) loss += l;
        for (int i = 0; i < w.length; i++) weight[i] = (float) w[i];
        return new PruneResult(Masks.apply(weight, mask), hessian.damping, null, loss);
    }

    /** The unstructured mask of one block, over all rows at once, from the scores at the block's start. */
    private void selectBlock(double[] w, double[] u, int rows, int columns, int b, int width,
                             SparsityTarget.Unstructured target, boolean[] mask) {
        float[] score = new float[rows * columns];
        for (int r = 0; r < rows; r++) {
            for (int c = b; c < b + width; c++) {
                double ujj = u[c * columns + c];
                score[r * columns + c] = (float) (w[r * columns + c] * w[r * columns + c] / (ujj * ujj));
            }
        }
        if (inclusiveThreshold) {
            int k = (int) (target.fraction() * rows * width);
            float[] sorted = new float[rows * width];
            for (int r = 0; r < rows; r++) System.arraycopy(score, r * columns + b, sorted, r * width, width);
            java.util.Arrays.sort(sorted);
            float threshold = sorted[Math.min(k, sorted.length - 1)];
            for (int r = 0; r < rows; r++) {
                for (int c = b; c < b + width; c++) mask[r * columns + c] = score[r * columns + c] <= threshold;
            }
        } else {
            int count = MaskSelection.blockCount(target.fraction(), rows, b, width);
            MaskSelection.lowestInColumns(score, rows, columns, b, width, count, mask);
        }
    }

    /** The column sweep of one block, then the lazy update of every later column; rows in parallel. */
    private static void sweepBlock(double[] w, double[] u, int rows, int columns, int b, int width,
                                   SparsityTarget target, boolean[] mask, double[] rowLoss) {
        int end = b + width;
        Parallel.forRange(rows, 8, (from, to) -> {
            double[] err = new double[width];
            float[] groupScore = new float[width];
            for (int r = from; r < to; r++) {
                int row = r * columns;
                for (int i = 0; i < width; i++) {
                    int c = b + i;
                    if (target instanceof SparsityTarget.NofM nm && i % nm.m() == 0) {
                        for (int g = 0; g < nm.m(); g++) {
                            double ujj = u[(c + g) * columns + c + g];
                            groupScore[g] = (float) (w[row + c + g] * w[row + c + g] / (ujj * ujj));
                        }
                        MaskSelection.lowest(groupScore, 0, nm.m(), nm.n(), mask, row + c);
                    }
                    double wc = w[row + c];
                    double q = mask[row + c] ? 0 : wc;
                    double d = u[c * columns + c];
                    double e = (wc - q) / d;
                    rowLoss[r] += (wc - q) * (wc - q) / (d * d) / 2;
                    // spread the error over the rest of the block through row c of U
                    DoubleOps.axpy(-e, u, c * columns + c, w, row + c, end - c);
                    w[row + c] = q;
                    err[i] = e;
                }
                if (end < columns) {
                    for (int i = 0; i < width; i++) {
                        if (err[i] != 0) DoubleOps.axpy(-err[i], u, (b + i) * columns + end, w, row + end, columns - end);
                    }
                }
            }
        });
    }

}
