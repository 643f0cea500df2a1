package dev.prune4j.train.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prune4j.train.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

class DropoutOpTest {
    @Test
    void keepsAboutOneMinusPAndScalesTheKeptValues() {
        float[] ones = new float[100_000];
        java.util.Arrays.fill(ones, 1f);
        float[] y = DropoutOp.forward(Tape.noGrad(), Tensor.constant(ones, ones.length), 0.25f, 42).data();
        int kept = 0;
        for (float v : y) {
            if (v != 0) {
                kept++;
                assertThat(v).isEqualTo(1f / 0.75f);
            }
        }
        assertThat(kept / (double) ones.length).isBetween(0.74, 0.76);
    }

    /** The mask depends on the seed only: same seed, same mask; the backward uses the same mask. */
    @Test
    void maskIsAFunctionOfTheSeed() {
        Rng rng = new Rng(8);
        Tensor x = TestTensors.param("x", rng, 1f, 50, 200);
        float[] a = DropoutOp.forward(Tape.noGrad(), x, 0.1f, 7).data();
        float[] b = DropoutOp.forward(Tape.noGrad(), x, 0.1f, 7).data();
        float[] c = DropoutOp.forward(Tape.noGrad(), x, 0.1f, 8).data();
        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(c);
        GradAssert.passes(t -> DropoutOp.forward(t, x, 0.1f, 7), List.of(x));
    }
}
