package dev.prune4j.train.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.prune4j.train.Rng;
import dev.prune4j.train.autograd.GradAssert;
import dev.prune4j.train.autograd.Tape;
import dev.prune4j.train.autograd.Tensor;
import dev.prune4j.train.autograd.TestTensors;
import java.util.List;
import org.junit.jupiter.api.Test;

class LossTest {
    private static final int IGNORE = CrossEntropyLoss.IGNORE;

    @Test
    void crossEntropyValueAndGradientWithIgnoredRows() {
        Rng rng = new Rng(1);
        int rows = 5, vocab = 37;
        Tensor z = TestTensors.param("logits", rng, 3f, rows, vocab);
        int[] targets = {4, IGNORE, 36, 0, IGNORE};
        double expected = 0;
        for (int r : new int[] {0, 2, 3}) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < vocab; j++) max = Math.max(max, z.data()[r * vocab + j]);
            for (int j = 0; j < vocab; j++) sum += Math.exp(z.data()[r * vocab + j] - max);
            expected += max + Math.log(sum) - z.data()[r * vocab + targets[r]];
        }
        assertThat(CrossEntropyLoss.forward(Tape.noGrad(), z, targets, IGNORE).item()).isCloseTo((float) (expected / 3), offset(1e-5f));
        GradAssert.passes(t -> CrossEntropyLoss.forward(t, z, targets, IGNORE), List.of(z));
        // ignored rows get no gradient
        Tape tape = new Tape();
        z.zeroGrad();
        tape.backward(CrossEntropyLoss.forward(tape, z, targets, IGNORE));
        for (int j = 0; j < vocab; j++) assertThat(z.grad()[vocab + j]).isZero();
    }

    @Test
    void klDivergenceValueAndGradient() {
        Rng rng = new Rng(2);
        int rows = 4, vocab = 29;
        Tensor s = TestTensors.param("student", rng, 2f, rows, vocab);
        float[] teacher = TestTensors.gaussian(rng, 2f, rows * vocab);
        int[] targets = {1, 2, IGNORE, 3};
        float temp = 2f;
        double expected = 0;
        for (int r : new int[] {0, 1, 3}) {
            double[] pt = softmax(teacher, r * vocab, vocab, temp), ps = softmax(s.data(), r * vocab, vocab, temp);
            for (int j = 0; j < vocab; j++) expected += pt[j] * Math.log(pt[j] / ps[j]);
        }
        expected *= temp * temp / 3;
        assertThat(KlDivergenceLoss.forward(Tape.noGrad(), s, teacher, temp, targets, IGNORE).item()).isCloseTo((float) expected, offset(1e-5f));
        GradAssert.passes(t -> KlDivergenceLoss.forward(t, s, teacher, temp, targets, IGNORE), List.of(s));
        // the student equal to the teacher: zero loss
        assertThat(KlDivergenceLoss.forward(Tape.noGrad(), Tensor.constant(teacher, rows, vocab), teacher, temp, targets, IGNORE).item())
                .isCloseTo(0f, offset(1e-6f));
    }

    @Test
    void mseValueAndGradient() {
        Rng rng = new Rng(3);
        Tensor a = TestTensors.param("a", rng, 1f, 3, 8);
        Tensor b = TestTensors.param("b", rng, 1f, 3, 8);
        double expected = 0;
        for (int i = 0; i < 24; i++) expected += Math.pow(a.data()[i] - b.data()[i], 2) / 24;
        assertThat(MseLoss.forward(Tape.noGrad(), a, b).item()).isCloseTo((float) expected, offset(1e-6f));
        GradAssert.passes(t -> MseLoss.forward(t, a, b), List.of(a, b));
    }

    private static double[] softmax(float[] z, int off, int n, float temp) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int j = 0; j < n; j++) max = Math.max(max, z[off + j] / temp);
        double[] p = new double[n];
        for (int j = 0; j < n; j++) sum += p[j] = Math.exp(z[off + j] / temp - max);
        for (int j = 0; j < n; j++) p[j] /= sum;
        return p;
    }
}
