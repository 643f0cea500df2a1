package dev.prune4j.prune.structure.allocation;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.prune.structure.StructuredPlan;

/**
 * A structured plan with what it achieves. Ratios are of the counted parameters ({@link ParameterCount}).
 *
 * @param plan          what to keep; valid for the model ({@link StructuredPlan#validate})
 * @param strategy      the allocation's name ({@code uniform}, {@code layers}, {@code flap}, {@code depth})
 * @param targetRatio   the fraction asked for
 * @param achievedRatio the fraction the plan removes
 * @param counted       counted parameters of the dense model
 * @param removed       counted parameters the plan removes
 * @param roundingUnit  parameters of the coarsest rounding step the strategy took (e.g. 8 FFN channels in every cut
 *                      layer); {@code |removed − target| ≤ roundingUnit}
 */
public record AllocationResult(StructuredPlan plan, String strategy, double targetRatio, double achievedRatio, long counted,
                               long removed, long roundingUnit) {
    static AllocationResult of(ModelConfig c, StructuredPlan plan, String strategy, double target, long roundingUnit) {
        plan.validate(c);
        long counted = ParameterCount.total(c), removed = ParameterCount.removed(c, plan);
        return new AllocationResult(plan, strategy, target, (double) removed / counted, counted, removed, roundingUnit);
    }

    /** The distance between achieved and target, in parameters. */
    public double missedBy() {
        return Math.abs(removed - targetRatio * counted);
    }
}
