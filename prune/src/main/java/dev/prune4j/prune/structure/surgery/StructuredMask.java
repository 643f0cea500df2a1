package dev.prune4j.prune.structure.surgery;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.prune.structure.CoupledGroups;
import dev.prune4j.prune.structure.StructureGroup;
import dev.prune4j.prune.structure.StructuredPlan;
import dev.prune4j.prune.structure.TensorSlice;
import dev.prune4j.prune.structure.WeightTensors;
import java.util.Collection;

/**
 * Zeroes groups in place in the original weights, shapes unchanged: what learned structured methods (MaskPrune,
 * PAT) train against, and the reference that {@link StructuredSurgery} must reproduce. Tied embeddings share one
 * array, so zeroing a hidden channel's embedding column also zeroes its lm_head column.
 */
public final class StructuredMask {
    private StructuredMask() {}

    /** Zeroes every group the plan removes. */
    public static void apply(ModelConfig config, ModelWeights weights, StructuredPlan plan) {
        CoupledGroups groups = CoupledGroups.of(config, weights);
        zero(groups, weights, groups.removedBy(plan));
    }

    /** Zeroes every tensor slice of the given groups. */
    public static void zero(CoupledGroups groups, ModelWeights weights, Collection<? extends StructureGroup> remove) {
        for (StructureGroup g : remove) {
            for (TensorSlice s : groups.slices(g)) {
                WeightTensors.View t = WeightTensors.get(weights, s.role(), s.block());
                if (t != null) t.zero(s);
            }
        }
    }
}
