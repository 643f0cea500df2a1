package dev.prune4j.train.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prune4j.train.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

class ElementwiseOpsTest {
    @Test
    void addMulScaleSumGradients() {
        Rng rng = new Rng(1);
        Tensor a = TestTensors.param("a", rng, 1f, 4, 5);
        Tensor b = TestTensors.param("b", rng, 1f, 4, 5);
        GradAssert.passes(t -> ElementwiseOps.add(t, a, b), List.of(a, b));
        GradAssert.passes(t -> ElementwiseOps.mul(t, a, b), List.of(a, b));
        GradAssert.passes(t -> ElementwiseOps.scale(t, a, -2.5f), List.of(a));
        GradAssert.passes(t -> ElementwiseOps.sum(t, ElementwiseOps.mul(t, a, a)), List.of(a));
    }

    /** A tensor used twice accumulates both gradients (x + x has gradient 2). */
    @Test
    void reuseAccumulates() {
        Tensor x = Tensor.parameter("x", new float[] {1, 2, 3}, 3);
        Tape tape = new Tape();
        tape.backward(ElementwiseOps.sum(tape, ElementwiseOps.add(tape, x, x)));
        assertThat(x.grad()).containsExactly(2, 2, 2);
    }

    /** Intermediate gradients are dropped once used, unless retained (e.g. for activation-based importance scores). */
    @Test
    void retainGradKeepsAnIntermediateGradient() {
        Tensor x = Tensor.parameter("x", new float[] {1, 2}, 2);
        Tape tape = new Tape();
        Tensor kept = ElementwiseOps.scale(tape, x, 3f), dropped = ElementwiseOps.scale(tape, kept, 2f);
        tape.retainGrad(kept);
        tape.backward(ElementwiseOps.sum(tape, dropped));
        assertThat(kept.grad()).containsExactly(2, 2);
        assertThat(dropped.hasGrad()).isFalse();
        assertThat(x.grad()).containsExactly(6, 6);
    }
}
