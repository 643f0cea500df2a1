package dev.prune4j.model.forward;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.tensor.kernels.Rope;

/** RoPE cos/sin tables for global and sliding-window layers, grown on demand in powers of two. */
final class RopeTables {
    private final ModelConfig config;
    private volatile float[][] global = new float[][] {new float[0], new float[0]};
    private volatile float[][] local = new float[][] {new float[0], new float[0]};

    RopeTables(ModelConfig config) {
        this.config = config;
    }

    /** A table covering positions {@code [0, maxPos)}. */
    float[][] table(boolean sliding, int maxPos) {
        float[][] t = sliding ? local : global;
        if (t[0].length >= maxPos * (config.ropeDim() / 2)) return t;
        synchronized (this) {
            int cap = Integer.highestOneBit(Math.max(maxPos, 64) - 1) << 1;
            float base = sliding ? config.ropeFreqBaseSwa() : config.ropeFreqBase();
            float[][] grown = Rope.table(cap, config.ropeDim(), base, config.ropeScale());
            if (sliding) local = grown; else global = grown;
            return grown;
        }
    }
}
