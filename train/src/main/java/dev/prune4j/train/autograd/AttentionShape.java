package dev.prune4j.train.autograd;

/**
 * The layout of a causal attention call: {@code batch} independent sequences of {@code seqLen} rows each, grouped
 * query heads ({@code heads} a multiple of {@code kvHeads}), and the sliding window (0 = full causal).
 *
 * @param scale the factor on q·k (usually 1/sqrt(headDim))
 */
public record AttentionShape(int batch, int seqLen, int heads, int kvHeads, int headDim, float scale, int window) {
    public AttentionShape {
        if (batch <= 0 || seqLen <= 0 || headDim <= 0 || kvHeads <= 0 || heads % kvHeads != 0) {
            throw new IllegalArgumentException("attention shape: batch " + batch + ", seqLen " + seqLen + ", heads " + heads
                    + "/" + kvHeads + ", headDim " + headDim + " (heads must be a multiple of KV heads)");
        }
    }

    int qStride() { return heads * headDim; }

    int kvStride() { return kvHeads * headDim; }

    /** First key a query at {@code pos} sees. */
    int firstKey(int pos) {
        return window > 0 ? Math.max(0, pos - window + 1) : 0;
    }
}
