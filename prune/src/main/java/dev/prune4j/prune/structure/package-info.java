/**
 * Structured pruning's shared vocabulary: the coupled groups of a decoder ({@link dev.prune4j.prune.structure.CoupledGroups}:
 * GQA attention groups, single query heads, FFN channels, hidden channels, whole layers, each with the tensor slices
 * it owns and its parameter count), the scores of every group ({@link dev.prune4j.prune.structure.StructureScores}),
 * and what a cut keeps ({@link dev.prune4j.prune.structure.StructuredPlan}, built from counts and scores by
 * {@link dev.prune4j.prune.structure.PlanBuilder}; {@link dev.prune4j.prune.structure.PrunedConfig} is the config
 * it leaves). Scoring methods and allocations produce plans; {@code surgery} applies them. No method has its own
 * surgery.
 *
 * <p>A budget given as "ratio of parameters removed" is checked with
 * {@link dev.prune4j.prune.structure.CoupledGroups#parameterCount(dev.prune4j.prune.structure.StructuredPlan)}, which
 * counts the pruned model exactly; the per-group sizes ({@code ffnChannelParameters(layer)} etc.) turn a ratio into
 * first counts.
 */
package dev.prune4j.prune.structure;
