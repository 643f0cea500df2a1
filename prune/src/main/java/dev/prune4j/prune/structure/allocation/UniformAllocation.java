package dev.prune4j.prune.structure.allocation;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.prune.structure.score.ScoreSet;

/**
 * The same fraction of every unprotected layer: a ratio {@code r} of the whole model's counted parameters becomes the
 * fraction {@code f = r·P / P_unprotected} of each unprotected layer (LLM-Pruner's block-wise setting, where 25% of
 * the groups of layers 4–29 make about 20% of LLaMA-7B). Attention loses {@code floor(f·units)} units per layer
 * (query heads evenly across KV groups, or whole KV groups) and the FFN the rest, rounded to the width multiple, so
 * a model with equal layers stays equal and every layer misses its share by at most half a rounding step.
 */
public final class UniformAllocation implements StructuredAllocation {
    public static final String NAME = "uniform";

    @Override
    public String name() { return NAME; }

    @Override
    public AllocationResult allocate(ModelConfig config, ScoreSet scores, AllocationOptions options) {
        int layers = config.blockCount();
        long counted = ParameterCount.total(config), unprotected = 0;
        for (int l = 0; l < layers; l++) if (!options.isProtected(l, layers)) unprotected += ParameterCount.layer(config, l);
        if (unprotected == 0) {
            throw new IllegalArgumentException("every one of the " + layers + " layers is protected (first "
                    + options.protectFirst() + ", last " + options.protectLast() + "); nothing can be pruned");
        }
        double fraction = options.ratio() * counted / unprotected;
        if (fraction >= 1) {
            throw new IllegalArgumentException(String.format("removing %.1f%% of the model from its unprotected layers means"
                    + " removing %.1f%% of each; protect fewer layers or lower the ratio", 100 * options.ratio(), 100 * fraction));
        }
        double[] fractions = new double[layers];
        for (int l = 0; l < layers; l++) fractions[l] = options.isProtected(l, layers) ? 0 : fraction;
        return PerLayerAllocation.cut(config, scores, options, fractions, NAME, options.ratio());
    }
}
