package dev.prune4j.prune.structure;

/**
 * Importance scores of every prunable group of a model, larger meaning more important, from one scoring method.
 * Allocation reads them to build a {@link StructuredPlan}; they are saved so that several targets can be cut from one
 * calibration. A method that does not score a kind of group leaves it null.
 *
 * @param method         the scoring method's name, e.g. {@code wanda-sp}
 * @param queryHeads     [layer][query head]
 * @param kvHeads        [layer][KV head], the score of a KV head together with its query heads
 * @param ffnChannels    [layer][channel]
 * @param hiddenChannels [channel] of the residual stream, or null
 * @param layers         [layer] importance of each whole decoder layer (e.g. block influence), or null
 */
public record StructureScores(String method, float[][] queryHeads, float[][] kvHeads, float[][] ffnChannels,
                              float[] hiddenChannels, float[] layers) {}
