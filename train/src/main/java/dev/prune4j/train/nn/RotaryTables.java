package dev.prune4j.train.nn;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.tensor.kernels.Rope;

/** RoPE cos/sin tables of the global and the sliding-window layers, grown to the longest sequence seen. */
final class RotaryTables {
    private final ModelConfig config;
    private float[][] global;
    private float[][] local;
    private int positions;

    RotaryTables(ModelConfig config) {
        this.config = config;
    }

    /** A table covering positions [0, maxPos). */
    synchronized float[][] table(boolean sliding, int maxPos) {
        if (maxPos > positions) {
            positions = Math.max(maxPos, 2 * positions);
            global = Rope.table(positions, config.ropeDim(), config.ropeFreqBase(), config.ropeScale());
            local = Rope.table(positions, config.ropeDim(), config.ropeFreqBaseSwa(), config.ropeScale());
        }
        return sliding ? local : global;
    }
}
