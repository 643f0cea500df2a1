package dev.prune4j.prune.method;

import dev.prune4j.prune.calib.InputStatistics;

/** One pruning method applied to one linear layer, in place. */
public interface LinearPruner {
    /** The method's name as the CLI and the reports spell it. */
    String name();

    /** What the method needs from calibration. */
    StatisticsNeed needs();

    /**
     * Zeroes weights of {@code weight} to meet {@code target} and, for reconstruction methods, updates the others.
     *
     * @param weight [rows, columns] row-major, modified in place; pruned entries end exactly +0.0
     * @param stats  the statistics of the linear's input (null when {@link #needs()} is NONE)
     */
    PruneResult prune(float[] weight, int rows, int columns, InputStatistics stats, SparsityTarget target);

    /** How much calibration a method needs. */
    enum StatisticsNeed {
        NONE, DIAGONAL, FULL
    }
}
