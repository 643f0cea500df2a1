package dev.prune4j.train.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prune4j.train.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaskGatesTest {
    @Test
    void sigmoidGateGradientMatchesFiniteDifferences() {
        Rng rng = new Rng(2);
        Tensor s = TestTensors.param("scores", rng, 0.5f, 12);
        GradAssert.passes(t -> MaskGates.sigmoid(t, s, 4f, 0.25f), List.of(s));
    }

    /** PAT's start: scores 0, offset ½ give a mask of exactly 1. */
    @Test
    void sigmoidWithOffsetStartsAtOne() {
        Tensor s = Tensor.constant(new float[4], 4);
        assertThat(MaskGates.sigmoid(Tape.noGrad(), s, 10f, 0.5f).data()).containsOnly(1f);
    }

    /** Hard forward, identity backward: the score gradient is the mask's gradient. */
    @Test
    void straightThroughPassesGradientUnchanged() {
        Tensor s = Tensor.parameter("scores", new float[] {0.3f, -0.2f, 0.9f, 0.0f}, 4);
        Tensor x = Tensor.constant(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4);
        Tape tape = new Tape();
        Tensor m = MaskGates.straightThrough(tape, s, MaskGates.threshold(0f));
        assertThat(m.data()).containsExactly(1, 0, 1, 1);
        tape.backward(ElementwiseOps.sum(tape, ChannelScaleOp.forward(tape, x, m, 1)));
        assertThat(s.grad()).containsExactly(6, 8, 10, 12); // column sums of x
    }

    @Test
    void topKKeepsTheLargestScores() {
        assertThat(MaskGates.topK(2).apply(new float[] {0.1f, 3f, -1f, 3f, 2f})).containsExactly(0, 1, 0, 1, 0);
        assertThat(MaskGates.topK(0).apply(new float[] {1f})).containsExactly(0);
    }
}
