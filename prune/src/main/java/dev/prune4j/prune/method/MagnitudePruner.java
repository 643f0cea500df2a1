package dev.prune4j.prune.method;

import dev.prune4j.prune.calib.InputStatistics;

/**
 * Magnitude pruning: zero the smallest {@code |w|}. Unstructured sparsity is ranked over the whole matrix (as in the
 * Wanda repository's magnitude baseline), N:M inside every group.
 */
public final class MagnitudePruner implements LinearPruner {
    @Override
    public String name() {
        return "magnitude";
    }

    @Override
    public StatisticsNeed needs() {
        return StatisticsNeed.NONE;
    }

    @Override
    public PruneResult prune(float[] weight, int rows, int columns, InputStatistics stats, SparsityTarget target) {
        float[] score = new float[weight.length];
        for (int i = 0; i < score.length; i++) score[i] = Math.abs(weight[i]);
        long zeros = Masks.apply(weight, Masks.select(score, rows, columns, target, false));
        return new PruneResult(zeros, 0, null, Double.NaN);
    }

    /** What SparseGPT and APT do when even the largest damping leaves H indefinite: magnitude, with the reason. */
    static PruneResult fallback(float[] weight, int rows, int columns, SparsityTarget target, double damping,
                                RuntimeException cause) {
        PruneResult magnitude = new MagnitudePruner().prune(weight, rows, columns, null, target);
        return new PruneResult(magnitude.zeros(), Double.NaN, "Hessian not positive definite after damping "
                + damping * Math.pow(10, DampedHessian.MAX_RETRIES) + " (" + cause.getMessage() + ")", Double.NaN);
    }
}
