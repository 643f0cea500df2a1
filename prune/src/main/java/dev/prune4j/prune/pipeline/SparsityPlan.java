package dev.prune4j.prune.pipeline;

import dev.prune4j.prune.method.SparsityTarget;
import java.util.List;

/** The sparsity target of every decoder layer (uniform, a user's list, or OWL's allocation). */
public record SparsityPlan(List<SparsityTarget> perLayer) {
    public SparsityPlan {
        perLayer = List.copyOf(perLayer);
    }

    public static SparsityPlan uniform(SparsityTarget target, int layers) {
        return new SparsityPlan(java.util.Collections.nCopies(layers, target));
    }

    /** Unstructured fractions per layer; the list must have one entry per layer. */
    public static SparsityPlan ofFractions(List<Double> fractions, int layers) {
        if (fractions.size() != layers) {
            throw new IllegalArgumentException("the per-layer sparsity list has " + fractions.size()
                    + " entries but the model has " + layers + " layers");
        }
        return new SparsityPlan(fractions.stream().<SparsityTarget>map(SparsityTarget.Unstructured::new).toList());
    }

    public SparsityTarget target(int layer) {
        return perLayer.get(layer);
    }
}
