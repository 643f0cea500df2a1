package dev.prune4j.model.forward;

import dev.prune4j.tensor.Parallel;
import dev.prune4j.tensor.kernels.Gemm;
import dev.prune4j.tensor.kernels.VectorOps;
import java.util.Arrays;

/**
 * Causal scaled-dot-product attention with grouped KV heads over a KV cache, for a batch of consecutive queries.
 * Prefill runs per (head, block of queries) as two GEMMs, {@code S = Q·Kᵀ} then {@code O = softmax(S)·V}, on a
 * score tile of {@code QUERY_BLOCK} rows: no T×T matrix per head is held. Decoding (a few queries) runs a dot/axpy
 * loop per query, which reads each cached key and value once.
 */
final class CausalAttention {
    /** Queries per score tile: large enough for GEMM efficiency, small enough to stay in L2 for 512-token windows. */
    static final int QUERY_BLOCK = 64;
    /** Below this many queries the per-query loop is used. */
    static final int MIN_GEMM_QUERIES = 8;

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
        if (tokens < MIN_GEMM_QUERIES) {
            perQuery(q, keys, values, tokens, startPos, nHeads, nKv, headDim, window, out);
        } else {
            blocked(q, keys, values, tokens, startPos, nHeads, nKv, headDim, window, out);
        }
    }

    private static int firstKey(int pos, int window) {
        return window > 0 ? Math.max(0, pos - window + 1) : 0;
    }

    private static void blocked(float[] q, float[] keys, float[] values, int tokens, int startPos, int nHeads, int nKv,
                                int headDim, int window, float[] out) {
        int group = nHeads / nKv;
        int qStride = nHeads * headDim, kvStride = nKv * headDim;
        int blocks = (tokens + QUERY_BLOCK - 1) / QUERY_BLOCK;
        Parallel.forRange(nHeads * blocks, 1, (from, to) -> {
            float[] s = new float[QUERY_BLOCK * (startPos + tokens)];
            for (int task = from; task < to; task++) {
                int h = task / blocks, t0 = (task % blocks) * QUERY_BLOCK;
                int rows = Math.min(QUERY_BLOCK, tokens - t0);
                int kvOff = (h / group) * headDim;
                int lo = firstKey(startPos + t0, window), hi = startPos + t0 + rows; // keys [lo, hi) cover the tile
                int n = hi - lo;
                // S[rows, n] = Q_h[t0 .. t0+rows) · K_g[lo .. hi)ᵀ
                Gemm.nt(rows, n, headDim, q, t0 * qStride + h * headDim, qStride, keys, lo * kvStride + kvOff, kvStride,
                        s, 0, n, false);
                for (int r = 0; r < rows; r++) {
                    int pos = startPos + t0 + r;
                    int first = firstKey(pos, window) - lo, last = pos - lo; // valid columns of this row
                    int off = r * n;
                    Arrays.fill(s, off, off + first, 0f);
                    VectorOps.softmax(s, off + first, last - first + 1);
                    Arrays.fill(s, off + last + 1, off + n, 0f);
                }
                // O_h[t0 .. t0+rows) = P[rows, n] · V_g[lo .. hi)
                Gemm.nn(rows, headDim, n, s, 0, n, values, lo * kvStride + kvOff, kvStride, out,
                        t0 * qStride + h * headDim, qStride, false);
            }
        });
    }

    private static void perQuery(float[] q, float[] keys, float[] values, int tokens, int startPos, int nHeads, int nKv,
                                 int headDim, int window, float[] out) {
        int group = nHeads / nKv;
        int qStride = nHeads * headDim;
        int kvStride = nKv * headDim;
        Parallel.forRange(tokens * nHeads, 4, (from, to) -> {
            float[] scores = new float[startPos + tokens];
            for (int task = from; task < to; task++) {
                int t = task / nHeads, h = task % nHeads;
                int pos = startPos + t;
                int lo = firstKey(pos, window);
                int n = pos - lo + 1;
                int qOff = t * qStride + h * headDim;
                int kvOff = (h / group) * headDim;
                for (int j = 0; j < n; j++) {
                    scores[j] = VectorOps.dot(q, qOff, keys, (lo + j) * kvStride + kvOff, headDim);
                }
                VectorOps.softmax(scores, 0, n);
                Arrays.fill(out, qOff, qOff + headDim, 0f);
                for (int j = 0; j < n; j++) {
                    VectorOps.axpy(scores[j], values, (lo + j) * kvStride + kvOff, out, qOff, headDim);
                }
            }
        });
    }
}
