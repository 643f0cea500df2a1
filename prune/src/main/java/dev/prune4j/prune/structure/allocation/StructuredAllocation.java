package dev.prune4j.prune.structure.allocation;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.prune.structure.score.ScoreSet;

/** Turns scores and a target into a plan: how much each layer loses, then which groups by their scores. */
public interface StructuredAllocation {
    /** The strategy's name as the CLI spells it. */
    String name();

    /**
     * @throws IllegalArgumentException when the target cannot be met without emptying a layer, or the scores lack
     *                                  what the strategy needs; the message names the layer and the limit
     */
    AllocationResult allocate(ModelConfig config, ScoreSet scores, AllocationOptions options);
}
