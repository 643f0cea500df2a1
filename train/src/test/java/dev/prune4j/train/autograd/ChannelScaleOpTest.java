package dev.prune4j.train.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prune4j.train.Rng;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelScaleOpTest {
    /** Group size 1 (FFN or hidden channels) and head-sized groups. */
    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void gradientsOfInputAndMaskMatchFiniteDifferences(int groupSize) {
        Rng rng = new Rng(groupSize);
        Tensor x = TestTensors.param("x", rng, 1f, 6, 3 * groupSize * 2);
        Tensor m = TestTensors.param("mask", rng, 1f, 6);
        GradAssert.passes(t -> ChannelScaleOp.forward(t, x, m, groupSize), List.of(x, m));
    }

    @ParameterizedTest
    @ValueSource(ints = {2})
    void zeroMaskZeroesWholeGroups(int groupSize) {
        Tensor x = Tensor.constant(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4);
        Tensor m = Tensor.constant(new float[] {0, 1}, 2);
        assertThat(ChannelScaleOp.forward(Tape.noGrad(), x, m, groupSize).data()).containsExactly(0, 0, 3, 4, 0, 0, 7, 8);
    }
}
