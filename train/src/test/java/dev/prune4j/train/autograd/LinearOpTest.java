package dev.prune4j.train.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prune4j.train.Rng;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LinearOpTest {
    /** Shapes on both sides of MatMul's dot-loop / GEMM switch, with and without bias. */
    @ParameterizedTest
    @CsvSource({"3, 5, 4, false", "17, 24, 33, true", "40, 64, 48, false"})
    void gradientsMatchFiniteDifferences(int rows, int in, int out, boolean bias) {
        Rng rng = new Rng(rows * 31L + in);
        Tensor x = TestTensors.param("x", rng, 1f, rows, in);
        Tensor w = TestTensors.param("w", rng, (float) (1 / Math.sqrt(in)), out, in);
        Tensor b = bias ? TestTensors.param("b", rng, 1f, out) : null;
        List<Tensor> inputs = bias ? List.of(x, w, b) : List.of(x, w);
        GradAssert.passes(t -> LinearOp.forward(t, x, w, b), inputs);
    }

    @Test
    void forwardIsXTimesWTransposed() {
        Tensor x = Tensor.constant(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor w = Tensor.constant(new float[] {1, 0, -1, 2, 1, 0}, 2, 3);
        Tensor b = Tensor.constant(new float[] {10, 20}, 2);
        assertThat(LinearOp.forward(Tape.noGrad(), x, w, b).data()).containsExactly(8, 24, 8, 33);
    }

    /** A frozen weight gets no gradient buffer: frozen base weights cost no gradient memory. */
    @Test
    void frozenWeightGetsNoGradient() {
        Rng rng = new Rng(3);
        Tensor x = TestTensors.param("x", rng, 1f, 4, 8);
        Tensor w = Tensor.frozen("w", TestTensors.gaussian(rng, 1f, 48), 6, 8);
        Tape tape = new Tape();
        Tensor y = LinearOp.forward(tape, x, w, null);
        tape.backward(ElementwiseOps.sum(tape, y));
        assertThat(w.hasGrad()).isFalse();
        assertThat(x.hasGrad()).isTrue();
    }

    /** The same tensor as input and weight (L0·L0ᵀ): both contributions add up. */
    @Test
    void sharedInputAndWeight() {
        Rng rng = new Rng(5);
        Tensor a = TestTensors.param("a", rng, 1f, 4, 6);
        GradAssert.passes(t -> LinearOp.forward(t, a, a, null), List.of(a));
    }
}
