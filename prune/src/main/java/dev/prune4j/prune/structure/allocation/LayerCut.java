package dev.prune4j.prune.structure.allocation;

import dev.prune4j.model.config.ModelConfig;

/**
 * How much of one layer a cut takes, before the scores say which groups: the number of attention units removed, the
 * FFN width kept, or the whole layer.
 *
 * @param attentionUnits attention units ({@link AttentionUnit}) removed
 * @param ffnKept        FFN channels kept
 * @param removed        the whole layer goes
 */
record LayerCut(int attentionUnits, int ffnKept, boolean removed) {
    static LayerCut keep(ModelConfig c, int l) {
        return new LayerCut(0, c.feedForwardLength(l), false);
    }

    static LayerCut remove(ModelConfig c, int l) {
        return new LayerCut(0, c.feedForwardLength(l), true);
    }

    /** Units of {@code unit} the layer has: KV heads, or query heads per KV group. */
    static int units(ModelConfig c, int l, AttentionUnit unit) {
        return switch (unit) {
            case KV_GROUPS -> c.headCountKv(l);
            case QUERY_HEADS -> c.headCount(l) / c.headCountKv(l);
            case NONE -> 0;
        };
    }

    /** Counted parameters one unit of {@code unit} holds in layer {@code l}. */
    static long unitCost(ModelConfig c, int l, AttentionUnit unit) {
        return switch (unit) {
            case KV_GROUPS -> ParameterCount.kvGroup(c, l);
            case QUERY_HEADS -> c.headCountKv(l) * ParameterCount.queryHead(c);
            case NONE -> 0;
        };
    }

    /** Units that may go while the layer keeps attention: all but one. */
    static int maxUnits(ModelConfig c, int l, AttentionUnit unit) {
        return Math.max(0, units(c, l, unit) - 1);
    }
}
