package dev.prune4j.model.forward;

import dev.prune4j.tensor.Parallel;
import dev.prune4j.tensor.kernels.VectorOps;

/**
 * Causal scaled-dot-product attention with grouped KV heads over a KV cache, for a batch of consecutive queries.
 * Scores live in one row buffer per (query, head) task: no T×T matrix is ever materialised.
 */
final class CausalAttention {
    private CausalAttention() {}

    /**
     * @param q        [tokens, nHeads*headDim] queries, already rotated and scaled
     * @param keys     [capacity, nKv*headDim] cache of this layer, positions [0, startPos+tokens) valid
     * @param values   [capacity, nKv*headDim]
     * @param startPos absolute position of the first query
     * @param window   sliding window (a query at p sees keys p-window+1 .. p), or 0 for full causal attention
     * @param out      [tokens, nHeads*headDim], overwritten
     */
    static void attend(float[] q, float[] keys, float[] values, int tokens, int startPos, int nHeads, int nKv,
                       int headDim, int window, float[] out) {
        int group = nHeads / nKv;
        int qStride = nHeads * headDim;
        int kvStride = nKv * headDim;
        int tasks = tokens * nHeads;
        Parallel.forRange(tasks, 4, (from, to) -> {
            float[] scores = new float[startPos + tokens];
            for (int task = from; task < to; task++) {
                int t = task / nHeads, h = task % nHeads;
                int pos = startPos + t;
                int lo = window > 0 ? Math.max(0, pos - window + 1) : 0;
                int n = pos - lo + 1;
                int qOff = t * qStride + h * headDim;
                int kvOff = (h / group) * headDim;
                for (int j = 0; j < n; j++) {
                    scores[j] = VectorOps.dot(q, qOff, keys, (lo + j) * kvStride + kvOff, headDim);
                }
                VectorOps.softmax(scores, 0, n);
                int oOff = t * qStride + h * headDim;
                java.util.Arrays.fill(out, oOff, oOff + headDim, 0f);
                for (int j = 0; j < n; j++) {
                    VectorOps.axpy(scores[j], values, (lo + j) * kvStride + kvOff, out, oOff, headDim);
                }
            }
        });
    }
}
