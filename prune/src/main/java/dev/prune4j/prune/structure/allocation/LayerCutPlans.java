package dev.prune4j.prune.structure.allocation;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.prune.structure.PlanBuilder;
import dev.prune4j.prune.structure.StructureScores;
import dev.prune4j.prune.structure.StructuredPlan;

/**
 * Turns per-layer cut sizes into a plan through {@link PlanBuilder}, which picks the lowest-scored units (ties: the
 * lower index stays). The cuts are already rounded by the strategy, so the builder does not round again.
 */
final class LayerCutPlans {
    private LayerCutPlans() {}

    static StructuredPlan build(ModelConfig c, StructureScores scores, LayerCut[] cuts, AttentionUnit unit) {
        PlanBuilder builder = new PlanBuilder(c, scores).round(1);
        for (int l = 0; l < c.blockCount(); l++) {
            LayerCut cut = cuts[l];
            if (cut.removed()) {
                builder.removeLayer(l);
                continue;
            }
            if (cut.attentionUnits() > 0) {
                switch (unit) {
                    case KV_GROUPS -> builder.keepKvHeads(l, c.headCountKv(l) - cut.attentionUnits());
                    case QUERY_HEADS -> builder.keepQueryHeadsPerKvHead(l,
                            c.headCount(l) / c.headCountKv(l) - cut.attentionUnits());
                    case NONE -> throw new IllegalStateException("attention cut with attention pruning off");
                }
            }
            builder.keepFfnChannels(l, cut.ffnKept());
        }
        return builder.build();
    }
}
