/**
 * Importance scores of the coupled groups of structured pruning (query heads, KV heads with their query heads, FFN
 * channels, hidden channels, whole layers), larger meaning more important. One class per method behind
 * {@link dev.prune4j.prune.structure.score.StructureScorer}; {@link dev.prune4j.prune.structure.score.Scorers} finds
 * them by name:
 * <ul>
 *   <li>{@code l2}: the norm of the weights a group owns (no calibration);</li>
 *   <li>{@code wanda-sp}: Wanda's {@code |W|·‖x‖} per o_proj/down_proj input column (FLAP paper's baseline,
 *       arXiv:2312.11983);</li>
 *   <li>{@code flap}: the fluctuation {@code Var(x_j)·‖W[:,j]‖²}, with the input means for bias compensation
 *       (An et al., AAAI 2024, arXiv:2312.11983);</li>
 *   <li>{@code llm-pruner}: first-order Taylor importance, vector / element¹ / element² (Ma et al., NeurIPS 2023,
 *       arXiv:2305.11627), from backward passes of the training engine;</li>
 *   <li>{@code depth}: ShortGPT's block influence {@code 1 − cos(h_in, h_out)} per layer (Men et al., arXiv:2403.03853).</li>
 * </ul>
 * Calibration scorers make one dense forward pass over the sequences (Taylor: one forward and backward per sequence),
 * so that one calibration serves every target; {@link dev.prune4j.prune.structure.score.ScoreFiles} saves the
 * {@link dev.prune4j.prune.structure.score.ScoreSet} with its source. Memory beyond the model: per-channel statistics
 * (kilobytes) for the forward-only scorers; for Taylor two or three copies of the block linears (see
 * {@link dev.prune4j.prune.structure.score.TaylorGradients}).
 */
package dev.prune4j.prune.structure.score;
