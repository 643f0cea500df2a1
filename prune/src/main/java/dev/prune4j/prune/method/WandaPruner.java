package dev.prune4j.prune.method;

import dev.prune4j.prune.calib.InputStatistics;

/**
 * Wanda (Sun et al., 2023): score {@code |w_ij|·‖x_j‖} and compare within each output row (the paper's
 * per-output comparison group); N:M inside every group of each row. No weight update.
 */
public final class WandaPruner implements LinearPruner {
    @Override
    public String name() {
        return "wanda";
    }

    @Override
    public StatisticsNeed needs() {
        return StatisticsNeed.DIAGONAL;
    }

    @Override
    public PruneResult prune(float[] weight, int rows, int columns, InputStatistics stats, SparsityTarget target) {
        double[] meanSquares = stats.meanSquares();
        float[] norm = new float[columns];
        for (int j = 0; j < columns; j++) norm[j] = (float) Math.sqrt(meanSquares[j]);
        float[] score = new float[weight.length];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < columns; j++) score[r * columns + j] = Math.abs(weight[r * columns + j]) * norm[j];
        }
        long zeros = Masks.apply(weight, Masks.select(score, rows, columns, target, true));
        return new PruneResult(zeros, 0, null, Double.NaN);
    }
}
