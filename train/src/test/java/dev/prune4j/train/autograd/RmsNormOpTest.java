package dev.prune4j.train.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prune4j.tensor.kernels.VectorOps;
import dev.prune4j.train.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RmsNormOpTest {
    @ParameterizedTest
    @EnumSource(RmsNormOp.GainForm.class)
    void gradientsOfInputAndGainMatchFiniteDifferences(RmsNormOp.GainForm form) {
        Rng rng = new Rng(form.ordinal());
        Tensor x = TestTensors.param("x", rng, 1f, 6, 24);
        Tensor g = TestTensors.param("gain", rng, 0.5f, 24);
        GradAssert.passes(t -> RmsNormOp.forward(t, x, g, 24, 1e-5f, form), List.of(x, g));
    }

    /** Per-head normalisation (QK-norm): width 8 inside rows of 32. */
    @Test
    void perHeadWidth() {
        Rng rng = new Rng(9);
        Tensor x = TestTensors.param("q", rng, 1f, 5, 32);
        Tensor g = TestTensors.param("qnorm", rng, 1f, 8);
        GradAssert.passes(t -> RmsNormOp.forward(t, x, g, 8, 1e-6f, RmsNormOp.GainForm.PLAIN), List.of(x, g));
    }

    @Test
    void forwardMatchesInferenceKernelAndOnePlusForm() {
        Rng rng = new Rng(4);
        float[] x = TestTensors.gaussian(rng, 2f, 3 * 40), w = TestTensors.gaussian(rng, 1f, 40);
        float[] expected = new float[x.length];
        VectorOps.Reference.rmsNorm(x, w, 1e-5f, 3, 40, expected);
        float[] plain = RmsNormOp.forward(Tape.noGrad(), Tensor.constant(x, 3, 40), Tensor.constant(w, 40), 40, 1e-5f,
                RmsNormOp.GainForm.PLAIN).data();
        float[] wMinusOne = w.clone();
        for (int i = 0; i < w.length; i++) wMinusOne[i] -= 1f;
        float[] onePlus = RmsNormOp.forward(Tape.noGrad(), Tensor.constant(x, 3, 40), Tensor.constant(wMinusOne, 40), 40,
                1e-5f, RmsNormOp.GainForm.ONE_PLUS).data();
        for (int i = 0; i < x.length; i++) {
            assertThat(plain[i]).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(onePlus[i]).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-5f));
        }
    }
}
