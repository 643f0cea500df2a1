package dev.prune4j.train.loss;

import dev.prune4j.tensor.kernels.FastMath;
import dev.prune4j.tensor.kernels.Simd;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Log-sum-exp and softmax of logit rows over a large vocabulary, vectorised with {@link FastMath#exp} (the same bits
 * before and after JIT compilation) and summed chunk by chunk into a double.
 */
final class RowSoftmax {
    private static final VectorSpecies<Float> F = Simd.F;

    private RowSoftmax() {}

    /** {@code log Σ_j exp(x[off+j] / t)} over n values. */
    static double logSumExp(float[] x, int off, int n, float invT) {
        float max = max(x, off, n) * invT;
        double sum = 0;
        int j = 0, l = F.length();
        for (int bound = F.loopBound(n); j < bound; ) {
            FloatVector acc = FloatVector.zero(F);
            for (int end = Math.min(bound, j + 64 * l); j < end; j += l) {
                acc = acc.add(FastMath.exp(FloatVector.fromArray(F, x, off + j).mul(invT).sub(max)));
            }
            sum += Simd.sum(acc);
        }
        for (; j < n; j++) sum += FastMath.exp(x[off + j] * invT - max);
        return max + StrictMath.log(sum);
    }

    /** {@code out[j] = exp(x[off+j]/t − lse)} (the softmax row, given its log-sum-exp). */
    static void softmax(float[] x, int off, int n, float invT, float lse, float[] out, int outOff) {
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += F.length()) {
            FastMath.exp(FloatVector.fromArray(F, x, off + j).mul(invT).sub(lse)).intoArray(out, outOff + j);
        }
        for (; j < n; j++) out[outOff + j] = FastMath.exp(x[off + j] * invT - lse);
    }

    private static float max(float[] x, int off, int n) {
        int j = 0;
        FloatVector m = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int bound = F.loopBound(n); j < bound; j += F.length()) m = m.max(FloatVector.fromArray(F, x, off + j));
        float max = m.reduceLanes(VectorOperators.MAX);
        for (; j < n; j++) max = Math.max(max, x[off + j]);
        return max;
    }
}
