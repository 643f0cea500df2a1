package dev.prune4j.train.autograd;

import dev.prune4j.tensor.Parallel;
import dev.prune4j.tensor.kernels.FastMath;
import dev.prune4j.tensor.kernels.Gemm;
import dev.prune4j.tensor.kernels.Simd;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused causal attention with grouped KV heads, forward and backward, in tiles of {@link #QUERY_BLOCK} queries: the
 * scores {@code S = scale·Q·Kᵀ} of a tile live only while the tile is processed. The forward keeps the output and
 * one log-sum-exp per (row, head); the backward recomputes each tile's probabilities from them (as FlashAttention
 * does) and produces {@code dQ}, {@code dK}, {@code dV} with GEMMs. Each query head accumulates its own partial
 * {@code dK}/{@code dV}, summed over the group at the end in a fixed order, so results do not depend on the thread count.
 */
public final class AttentionOp {
    /** Queries per tile, as in the inference attention: GEMM-sized, and the tile stays in L2. */
    static final int QUERY_BLOCK = 64;
    private static final VectorSpecies<Float> F = Simd.F;

    private AttentionOp() {}

    /**
     * @param q [batch·seqLen, heads·headDim]
     * @param k [batch·seqLen, kvHeads·headDim]
     * @param v [batch·seqLen, kvHeads·headDim]
     * @return [batch·seqLen, heads·headDim]
     */
    public static Tensor forward(Tape tape, Tensor q, Tensor k, Tensor v, AttentionShape a) {
        int rows = a.batch() * a.seqLen();
        if (q.size() != rows * a.qStride() || k.size() != rows * a.kvStride() || v.size() != rows * a.kvStride()) {
            throw new IllegalArgumentException("attention: q " + q + ", k " + k + ", v " + v + " do not fit " + a);
        }
        float[] out = new float[rows * a.qStride()];
        float[] lse = new float[a.batch() * a.heads() * a.seqLen()];
        int blocks = blocks(a);
        Parallel.forRange(a.batch() * a.heads() * blocks, 1, (from, to) -> {
            float[] s = new float[QUERY_BLOCK * a.seqLen()];
            for (int task = from; task < to; task++) {
                int bh = task / blocks, t0 = (task % blocks) * QUERY_BLOCK;
                forwardTile(q.data(), k.data(), v.data(), a, bh / a.heads(), bh % a.heads(), t0, s, out, lse);
            }
        });
        boolean g = tape.needsGrad(q, k, v);
        Tensor result = tape.output(out, g, rows, a.qStride());
        if (g) {
            tape.saved(lse.length);
            tape.record(result, () -> backward(q, k, v, result, lse, a));
        }
        return result;
    }

    private static int blocks(AttentionShape a) {
        return (a.seqLen() + QUERY_BLOCK - 1) / QUERY_BLOCK;
    }

    /** One tile: S = Q·Kᵀ over the keys it can see, softmax rows (saving their log-sum-exp), O = P·V. */
    private static void forwardTile(float[] q, float[] k, float[] v, AttentionShape a, int b, int h, int t0, float[] s,
                                    float[] out, float[] lse) {
        int rows = Math.min(QUERY_BLOCK, a.seqLen() - t0);
        int base = b * a.seqLen(), kvOff = (h / (a.heads() / a.kvHeads())) * a.headDim();
        int lo = a.firstKey(t0), n = t0 + rows - lo;
        int qOff = (base + t0) * a.qStride() + h * a.headDim();
        Gemm.nt(rows, n, a.headDim(), q, qOff, a.qStride(), k, (base + lo) * a.kvStride() + kvOff, a.kvStride(), s, 0, n, false);
        for (int r = 0; r < rows; r++) {
            int pos = t0 + r;
            int first = a.firstKey(pos) - lo, last = pos - lo;
            lse[(b * a.heads() + h) * a.seqLen() + pos] = softmaxRow(s, r * n, first, last + 1, n, a.scale());
        }
        Gemm.nn(rows, a.headDim(), n, s, 0, n, v, (base + lo) * a.kvStride() + kvOff, a.kvStride(), out, qOff, a.qStride(), false);
    }

    /**
     * Replaces {@code s[off+first .. off+end)} by softmax(scale·s), zeroes the rest of the row of width n, and returns
     * the log-sum-exp of the scaled scores.
     */
    private static float softmaxRow(float[] s, int off, int first, int end, int n, float scale) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = first; j < end; j++) max = Math.max(max, s[off + j] * scale);
        int j = first;
        FloatVector acc = FloatVector.zero(F);
        for (int bound = first + F.loopBound(end - first); j < bound; j += F.length()) {
            FloatVector e = FastMath.exp(FloatVector.fromArray(F, s, off + j).mul(scale).sub(max));
            e.intoArray(s, off + j);
            acc = acc.add(e);
        }
        float sum = Simd.sum(acc);
        for (; j < end; j++) {
            float e = FastMath.exp(s[off + j] * scale - max);
            s[off + j] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (j = 0; j < first; j++) s[off + j] = 0f;
        for (j = first; j < end; j++) s[off + j] *= inv;
        for (j = end; j < n; j++) s[off + j] = 0f;
        return max + (float) StrictMath.log(sum);
    }

    private static void backward(Tensor q, Tensor k, Tensor v, Tensor out, float[] lse, AttentionShape a) {
        int rows = a.batch() * a.seqLen(), hd = a.headDim();
        float[] dOut = out.grad(), o = out.data();
        // D[row, head] = dO·O: the softmax Jacobian's correction term, one per probability row
        float[] d = new float[rows * a.heads()];
        Parallel.forRange(rows, 16, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                for (int h = 0; h < a.heads(); h++) {
                    int off = r * a.qStride() + h * hd;
                    double s = 0;
                    for (int i = 0; i < hd; i++) s += (double) dOut[off + i] * o[off + i];
                    d[r * a.heads() + h] = (float) s;
                }
            }
        });
        int heads = a.batch() * a.heads();
        float[] dkPart = k.requiresGrad() ? new float[heads * a.seqLen() * hd] : null;
        float[] dvPart = v.requiresGrad() ? new float[heads * a.seqLen() * hd] : null;
        float[] dq = q.requiresGrad() ? q.grad() : null;
        Parallel.forRange(heads, 1, (from, to) -> {
            float[] p = new float[QUERY_BLOCK * a.seqLen()], dp = new float[QUERY_BLOCK * a.seqLen()];
            for (int bh = from; bh < to; bh++) {
                for (int t0 = 0; t0 < a.seqLen(); t0 += QUERY_BLOCK) {
                    backwardTile(q.data(), k.data(), v.data(), dOut, lse, d, a, bh, t0, p, dp, dq, dkPart, dvPart);
                }
            }
        });
        if (dkPart != null) reduceGroups(dkPart, k.grad(), a);
        if (dvPart != null) reduceGroups(dvPart, v.grad(), a);
    }

    /** One tile of the backward: P from the saved log-sum-exp, then dV, dP, dS, dQ and dK by GEMM. */
    private static void backwardTile(float[] q, float[] k, float[] v, float[] dOut, float[] lse, float[] d, AttentionShape a,
                                     int bh, int t0, float[] p, float[] dp, float[] dq, float[] dkPart, float[] dvPart) {
        int b = bh / a.heads(), h = bh % a.heads(), hd = a.headDim();
        int rows = Math.min(QUERY_BLOCK, a.seqLen() - t0);
        int base = b * a.seqLen(), kvOff = (h / (a.heads() / a.kvHeads())) * hd;
        int lo = a.firstKey(t0), n = t0 + rows - lo;
        int qOff = (base + t0) * a.qStride() + h * hd, kOff = (base + lo) * a.kvStride() + kvOff;
        int partOff = (bh * a.seqLen() + lo) * hd;
        Gemm.nt(rows, n, hd, q, qOff, a.qStride(), k, kOff, a.kvStride(), p, 0, n, false);
        for (int r = 0; r < rows; r++) {
            int pos = t0 + r, off = r * n;
            int first = a.firstKey(pos) - lo, end = pos - lo + 1;
            float l = lse[bh * a.seqLen() + pos];
            for (int j = 0; j < first; j++) p[off + j] = 0f;
            for (int j = first; j < end; j++) p[off + j] = FastMath.exp(p[off + j] * a.scale() - l);
            for (int j = end; j < n; j++) p[off + j] = 0f;
        }
        if (dvPart != null) Gemm.tn(n, hd, rows, p, 0, n, dOut, qOff, a.qStride(), dvPart, partOff, hd, true);
        if (dq == null && dkPart == null) return;
        Gemm.nt(rows, n, hd, dOut, qOff, a.qStride(), v, kOff, a.kvStride(), dp, 0, n, false);
        for (int r = 0; r < rows; r++) {
            float dr = d[(base + t0 + r) * a.heads() + h];
            int off = r * n;
            // masked entries have p = 0, so dS is 0 there as well
            for (int j = 0; j < n; j++) dp[off + j] = p[off + j] * (dp[off + j] - dr) * a.scale();
        }
        if (dq != null) Gemm.nn(rows, hd, n, dp, 0, n, k, kOff, a.kvStride(), dq, qOff, a.qStride(), true);
        if (dkPart != null) Gemm.tn(n, hd, rows, dp, 0, n, q, qOff, a.qStride(), dkPart, partOff, hd, true);
    }

    /** Adds each query head's partial [seqLen, headDim] into its KV head's columns, heads of a group in order. */
    private static void reduceGroups(float[] part, float[] grad, AttentionShape a) {
        int group = a.heads() / a.kvHeads(), hd = a.headDim();
        Parallel.forRange(a.batch() * a.kvHeads(), 1, (from, to) -> {
            for (int bk = from; bk < to; bk++) {
                int b = bk / a.kvHeads(), kv = bk % a.kvHeads();
                for (int h = kv * group; h < (kv + 1) * group; h++) {
                    int src = (b * a.heads() + h) * a.seqLen() * hd;
                    for (int t = 0; t < a.seqLen(); t++) {
                        int dst = (b * a.seqLen() + t) * a.kvStride() + kv * hd;
                        for (int i = 0; i < hd; i++) grad[dst + i] += part[src + t * hd + i];
                    }
                }
            }
        });
    }
}
