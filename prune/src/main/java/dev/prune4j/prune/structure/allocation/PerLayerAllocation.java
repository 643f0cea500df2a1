package dev.prune4j.prune.structure.allocation;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.prune.structure.score.ScoreSet;
import java.util.Arrays;

/**
 * Explicit fractions per layer, each of that layer's counted parameters, split between attention and FFN as
 * {@link UniformAllocation} splits them. The target is the count-weighted mean of the list; the options' ratio is
 * not used. A protected layer must be given 0.
 */
public final class PerLayerAllocation implements StructuredAllocation {
    public static final String NAME = "layers";

    private final double[] fractions; // [layer]

    public PerLayerAllocation(double[] fractions) {
        for (int l = 0; l < fractions.length; l++) {
            if (!(fractions[l] >= 0 && fractions[l] < 1)) {
                throw new IllegalArgumentException("layer " + l + ": ratio must be in [0, 1), got " + fractions[l]);
            }
        }
        this.fractions = fractions.clone();
    }

    @Override
    public String name() { return NAME; }

    @Override
    public AllocationResult allocate(ModelConfig config, ScoreSet scores, AllocationOptions options) {
        int layers = config.blockCount();
        if (fractions.length != layers) {
            throw new IllegalArgumentException("the per-layer list has " + fractions.length + " ratios, the model has " + layers
                    + " layers: " + Arrays.toString(fractions));
        }
        double removed = 0;
        for (int l = 0; l < layers; l++) {
            if (fractions[l] > 0 && options.isProtected(l, layers)) {
                throw new IllegalArgumentException("layer " + l + " is protected but the list asks for ratio " + fractions[l]);
            }
            removed += fractions[l] * ParameterCount.layer(config, l);
        }
        return cut(config, scores, options, fractions, NAME, removed / ParameterCount.total(config));
    }

    static AllocationResult cut(ModelConfig c, ScoreSet scores, AllocationOptions o, double[] fractions, String name, double target) {
        LayerCut[] cuts = new LayerCut[c.blockCount()];
        long rounding = 0;
        for (int l = 0; l < cuts.length; l++) {
            cuts[l] = FractionCuts.cut(c, l, fractions[l], o);
            if (fractions[l] > 0) rounding += FractionCuts.roundingUnit(c, l, o);
        }
        return AllocationResult.of(c, LayerCutPlans.build(c, scores.scores(), cuts, o.attention()), name, target, rounding);
    }
}
