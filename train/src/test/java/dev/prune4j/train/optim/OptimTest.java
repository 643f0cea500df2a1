package dev.prune4j.train.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.prune4j.train.autograd.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptimTest {
    /** Two steps by hand, in double, from PyTorch's update rule. */
    @Test
    void adamWMatchesTheUpdateRuleWithGroupsAndDecay() {
        Tensor a = Tensor.parameter("a", new float[] {1f, -2f}, 2);
        Tensor b = Tensor.parameter("b", new float[] {0.5f}, 1);
        AdamW opt = new AdamW(List.of(ParamGroup.of("a", List.of(a), 0.1, 0.01), ParamGroup.of("b", List.of(b), 0.01, 0)),
                AdamW.Betas.DEFAULT);
        float[][] grads = {{0.3f, -0.1f}, {0.2f, 0.4f}};
        double[] p = {1, -2}, m = new double[2], v = new double[2];
        for (int s = 0; s < 2; s++) {
            a.grad()[0] = grads[s][0];
            a.grad()[1] = grads[s][1];
            b.grad()[0] = 1f;
            opt.step(1.0);
            opt.zeroGrad();
            int t = s + 1;
            for (int i = 0; i < 2; i++) {
                p[i] *= 1 - 0.1 * 0.01;
                m[i] = 0.9 * m[i] + 0.1 * grads[s][i];
                v[i] = 0.999 * v[i] + 0.001 * grads[s][i] * grads[s][i];
                p[i] -= 0.1 / (1 - Math.pow(0.9, t)) * m[i] / (Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8);
            }
        }
        assertThat(a.data()[0]).isCloseTo((float) p[0], offset(4e-6f));
        assertThat(a.data()[1]).isCloseTo((float) p[1], offset(4e-6f));
        // a constant gradient of 1 moves Adam by lr per step: 0.5 − 2·0.01
        assertThat(b.data()[0]).isCloseTo(0.48f, offset(1e-6f));
        assertThat(opt.steps()).isEqualTo(2);
    }

    /** A maximizing group ascends: a dual variable grows while its constraint is violated. */
    @Test
    void maximizeAscends() {
        Tensor y = Tensor.parameter("dual", new float[] {0f}, 1);
        AdamW opt = new AdamW(List.of(new ParamGroup("dual", List.of(y), 0.1, 0, true)), AdamW.Betas.DEFAULT);
        y.grad()[0] = 2f;
        opt.step(1.0);
        assertThat(y.data()[0]).isCloseTo(0.1f, offset(1e-6f));
    }

    @Test
    void stateRoundTripContinuesIdentically() {
        Tensor a = Tensor.parameter("a", new float[] {1f, 2f}, 2), a2 = Tensor.parameter("a", new float[] {1f, 2f}, 2);
        AdamW one = new AdamW(List.of(ParamGroup.of("g", List.of(a), 0.05, 0.1)), AdamW.Betas.DEFAULT);
        a.grad()[0] = 0.5f;
        a.grad()[1] = -1f;
        one.step(1);
        AdamW two = new AdamW(List.of(ParamGroup.of("g", List.of(a2), 0.05, 0.1)), AdamW.Betas.DEFAULT);
        System.arraycopy(a.data(), 0, a2.data(), 0, 2);
        two.restore(one.state(), one.steps());
        for (Tensor t : List.of(a, a2)) {
            t.grad()[0] = 0.25f;
            t.grad()[1] = 0.75f;
        }
        one.step(0.5);
        two.step(0.5);
        assertThat(a2.data()).containsExactly(a.data());
    }

    @Test
    void cosineScheduleWarmsUpAndDecaysToTheFloor() {
        CosineSchedule s = new CosineSchedule(4, 14, 0.1);
        assertThat(s.factor(0)).isEqualTo(0.25);
        assertThat(s.factor(3)).isEqualTo(1.0);
        assertThat(s.factor(4)).isEqualTo(1.0);
        assertThat(s.factor(9)).isCloseTo(0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * 5 / 9)), offset(1e-12));
        assertThat(s.factor(13)).isCloseTo(0.1, offset(1e-12));
    }

    @Test
    void clippingScalesToTheMaximumNorm() {
        Tensor a = Tensor.parameter("a", new float[2], 2), b = Tensor.parameter("b", new float[1], 1);
        a.grad()[0] = 3f;
        a.grad()[1] = 0f;
        b.grad()[0] = 4f;
        assertThat(GradientClipping.clip(List.of(a, b), 1.0)).isCloseTo(5.0, offset(1e-12));
        assertThat(a.grad()[0]).isCloseTo(0.6f, offset(1e-6f));
        assertThat(b.grad()[0]).isCloseTo(0.8f, offset(1e-6f));
        assertThat(GradientClipping.clip(List.of(a, b), 10.0)).isCloseTo(1.0, offset(1e-6));
        assertThat(b.grad()[0]).isCloseTo(0.8f, offset(1e-6f));
    }
}
