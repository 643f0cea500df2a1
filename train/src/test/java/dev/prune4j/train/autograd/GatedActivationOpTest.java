package dev.prune4j.train.autograd;

import dev.prune4j.model.config.Activation;
import dev.prune4j.train.Rng;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GatedActivationOpTest {
    @ParameterizedTest
    @EnumSource(Activation.class)
    void gradientsMatchFiniteDifferences(Activation act) {
        Rng rng = new Rng(act.ordinal() + 10);
        Tensor gate = TestTensors.param("gate", rng, 2f, 9, 21);
        Tensor up = TestTensors.param("up", rng, 1f, 9, 21);
        GradAssert.passes(t -> GatedActivationOp.forward(t, gate, up, act), List.of(gate, up));
    }
}
