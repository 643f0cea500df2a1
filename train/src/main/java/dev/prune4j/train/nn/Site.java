package dev.prune4j.train.nn;

/**
 * Points of the differentiable forward where {@link Taps} may replace a tensor: masks, low-rank operators, captures.
 * Shapes are per batch row ({@code rows = batch·seqLen}).
 */
public enum Site {
    /** Token embeddings (after the embedding scale), [rows, hidden]: the first writer into the residual stream. */
    EMBEDDING,
    /** Concatenated attention heads, the input of o_proj, [rows, heads·headDim]: head masks act here. */
    ATTN_HEADS,
    /** Attention output after o_proj (and the post-norm), before the residual add, [rows, hidden]. */
    ATTN_OUT,
    /** act(gate)·up, the input of down_proj, [rows, ffn]: FFN-channel masks act here. */
    FFN_HIDDEN,
    /** MLP output after down_proj (and the post-norm), before the residual add, [rows, hidden]. */
    FFN_OUT,
    /**
     * The residual stream after the block, [rows, hidden]. Applied outside activation recomputation, so it is the
     * place to capture hidden states for a loss.
     */
    BLOCK_OUT
}
