package dev.prune4j.train.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prune4j.train.Rng;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AttentionOpTest {
    /** Plain causal softmax attention in double, one (sequence, head) at a time. */
    static double[] reference(float[] q, float[] k, float[] v, AttentionShape a) {
        int hd = a.headDim(), group = a.heads() / a.kvHeads();
        double[] out = new double[a.batch() * a.seqLen() * a.qStride()];
        for (int b = 0; b < a.batch(); b++) {
            for (int h = 0; h < a.heads(); h++) {
                int kv = h / group;
                for (int t = 0; t < a.seqLen(); t++) {
                    int qo = (b * a.seqLen() + t) * a.qStride() + h * hd;
                    int first = a.firstKey(t);
                    double[] s = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = first; j <= t; j++) {
                        int ko = (b * a.seqLen() + j) * a.kvStride() + kv * hd;
                        double dot = 0;
                        for (int i = 0; i < hd; i++) dot += (double) q[qo + i] * k[ko + i];
                        s[j] = dot * a.scale();
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = first; j <= t; j++) sum += s[j] = Math.exp(s[j] - max);
                    for (int j = first; j <= t; j++) {
                        int vo = (b * a.seqLen() + j) * a.kvStride() + kv * hd;
                        for (int i = 0; i < hd; i++) out[qo + i] += s[j] / sum * v[vo + i];
                    }
                }
            }
        }
        return out;
    }

    /** Batches, GQA groups, MQA, sliding windows and sequences longer than one query tile. */
    @ParameterizedTest
    @CsvSource({"1, 9, 4, 2, 8, 0", "2, 70, 4, 2, 8, 0", "1, 70, 3, 1, 4, 5", "2, 12, 2, 2, 6, 3"})
    void forwardMatchesReferenceAndGradientsMatchFiniteDifferences(int batch, int seqLen, int heads, int kvHeads, int hd, int window) {
        AttentionShape a = new AttentionShape(batch, seqLen, heads, kvHeads, hd, (float) (1 / Math.sqrt(hd)), window);
        Rng rng = new Rng(seqLen * 7L + heads);
        int rows = batch * seqLen;
        Tensor q = TestTensors.param("q", rng, 1f, rows, heads * hd);
        Tensor k = TestTensors.param("k", rng, 1f, rows, kvHeads * hd);
        Tensor v = TestTensors.param("v", rng, 1f, rows, kvHeads * hd);
        float[] out = AttentionOp.forward(Tape.noGrad(), q, k, v, a).data();
        double[] ref = reference(q.data(), k.data(), v.data(), a);
        double maxDiff = 0;
        for (int i = 0; i < out.length; i++) maxDiff = Math.max(maxDiff, Math.abs(out[i] - ref[i]));
        assertThat(maxDiff).as("max |attention - reference|").isLessThan(2e-6);
        GradAssert.passes(t -> AttentionOp.forward(t, q, k, v, a), List.of(q, k, v));
    }
}
