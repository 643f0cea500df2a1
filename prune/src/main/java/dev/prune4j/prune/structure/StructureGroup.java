package dev.prune4j.prune.structure;

/**
 * A prunable unit of a decoder whose tensor slices must go together (a coupled group): removing only part of it
 * would leave tensors of mismatched shapes. {@link CoupledGroups} lists the slices each group owns.
 */
public sealed interface StructureGroup {

    /** A KV head with the query heads that read it: q/k/v rows (and biases) and o_proj columns of the whole group. */
    record AttentionGroup(int layer, int kvHead) implements StructureGroup {}

    /** One query head: its q rows (and bias) and o_proj columns; GQA keeps its KV head. */
    record QueryHead(int layer, int head) implements StructureGroup {}

    /** One FFN channel: a gate_proj row, an up_proj row and a down_proj column. */
    record FfnChannel(int layer, int channel) implements StructureGroup {}

    /**
     * One channel of the residual stream: its embedding column, the input column of every reader (q/k/v, gate/up,
     * lm_head), the output row of every writer (o_proj, down_proj) and its entry in every norm gain of that width.
     */
    record HiddenChannel(int channel) implements StructureGroup {}

    /** A whole decoder layer. */
    record DecoderLayer(int layer) implements StructureGroup {}
}
