package dev.prune4j.train.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prune4j.train.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checker must catch broken backwards, not only pass correct ones. */
class GradientCheckTest {
    /**
     * RMSNorm with the mean-correction term of its backward left out (a classic mistake): forward identical to the
     * real op, backward {@code dx = rstd·dy⊙g} only.
     */
    private static Tensor brokenRmsNorm(Tape tape, Tensor x, Tensor gain, int width, float eps) {
        Tensor y = RmsNormOp.forward(Tape.noGrad(), x, gain, width, eps, RmsNormOp.GainForm.PLAIN);
        boolean needs = tape.needsGrad(x);
        Tensor out = tape.output(y.data(), needs, x.shape());
        if (needs) {
            tape.record(out, () -> {
                float[] xd = x.data(), dy = out.grad(), dx = x.grad(), g = gain.data();
                for (int r = 0; r < xd.length / width; r++) {
                    double ss = 0;
                    for (int i = 0; i < width; i++) ss += (double) xd[r * width + i] * xd[r * width + i];
                    float inv = (float) (1 / Math.sqrt(ss / width + eps));
                    for (int i = 0; i < width; i++) dx[r * width + i] += inv * dy[r * width + i] * g[i];
                }
            });
        }
        return out;
    }

    /** The identity with a backward that scales the gradient by {@code factor} and shifts it by one element. */
    private static Tensor brokenIdentity(Tape tape, Tensor x, float factor, boolean shift) {
        boolean needs = tape.needsGrad(x);
        Tensor out = tape.output(x.data().clone(), needs, x.shape());
        if (needs) {
            tape.record(out, () -> {
                float[] dy = out.grad(), dx = x.grad();
                for (int i = 0; i < dx.length; i++) dx[i] += factor * dy[shift ? (i + 1) % dy.length : i];
            });
        }
        return out;
    }

    @Test
    void missingTermInRmsNormBackwardFails() {
        Rng rng = new Rng(1);
        Tensor x = TestTensors.param("x", rng, 1f, 3, 16);
        Tensor g = Tensor.constant(TestTensors.gaussian(rng, 1f, 16), 16);
        GradAssert.passes(t -> RmsNormOp.forward(t, x, g, 16, 1e-5f, RmsNormOp.GainForm.PLAIN), List.of(x));
        GradientCheck.Result broken = GradientCheck.check(t -> brokenRmsNorm(t, x, g, 16, 1e-5f), List.of(x),
                GradientCheck.Options.DEFAULT);
        assertThat(broken.passed()).as(broken.toString()).isFalse();
    }

    /** A 1% error in one op deep inside a chain (linear → broken → SwiGLU) is caught. */
    @Test
    void onePercentErrorInsideAChainFails() {
        Rng rng = new Rng(2);
        Tensor x = TestTensors.param("x", rng, 1f, 5, 8);
        Tensor w = TestTensors.param("w", rng, 0.3f, 8, 8);
        GradientCheck.Result r = GradientCheck.check(t -> {
            Tensor h = brokenIdentity(t, LinearOp.forward(t, x, w, null), 1.01f, false);
            return GatedActivationOp.forward(t, h, x, dev.prune4j.model.config.Activation.SILU);
        }, List.of(x, w), GradientCheck.Options.DEFAULT);
        assertThat(r.passed()).as(r.toString()).isFalse();
        assertThat(r.failures()).anyMatch(c -> c.what().startsWith("w"));
    }

    @Test
    void misroutedGradientFails() {
        Rng rng = new Rng(3);
        Tensor x = TestTensors.param("x", rng, 1f, 4, 4);
        GradientCheck.Result r = GradientCheck.check(t -> {
            Tensor h = brokenIdentity(t, x, 1f, true);
            return ElementwiseOps.mul(t, h, h);
        }, List.of(x), GradientCheck.Options.DEFAULT);
        assertThat(r.passed()).as(r.toString()).isFalse();
    }
}
