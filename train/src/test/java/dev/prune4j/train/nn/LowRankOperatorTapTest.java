package dev.prune4j.train.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.weights.RandomWeights;
import dev.prune4j.train.Rng;
import dev.prune4j.train.autograd.ChannelScaleOp;
import dev.prune4j.train.autograd.ElementwiseOps;
import dev.prune4j.train.autograd.GradAssert;
import dev.prune4j.train.autograd.GradientCheck;
import dev.prune4j.train.autograd.LinearOp;
import dev.prune4j.train.autograd.Tape;
import dev.prune4j.train.autograd.Tensor;
import dev.prune4j.train.autograd.TestTensors;
import dev.prune4j.train.loss.CrossEntropyLoss;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A PAT-style hybrid sparsification module written with the public pieces only: at every writer into the residual
 * stream, {@code z = s ⊙ M ⊙ (u + L1·(L0·u))} with the operator's own L0 [r, d], L1 [d, r], scale s and a mask M shared
 * by all layers. It shows that such an operator is a few lines of {@link Taps} and that its gradients are right.
 */
class LowRankOperatorTapTest {
    private final ModelConfig c = TinyModels.llamaGqa();

    private record Operator(Tensor l0, Tensor l1, Tensor scale) {}

    /** PAT's placement: one operator after the embedding and one after each attention and each MLP output. */
    private static Taps hsm(Operator[] ops, Tensor sharedMask) {
        return (tape, site, layer, u) -> {
            int k = switch (site) {
                case EMBEDDING -> 0;
                case ATTN_OUT -> 1 + 2 * layer;
                case FFN_OUT -> 2 + 2 * layer;
                default -> -1;
            };
            if (k < 0) return u;
            Operator op = ops[k];
            Tensor low = LinearOp.forward(tape, LinearOp.forward(tape, u, op.l0(), null), op.l1(), null);
            Tensor z = ElementwiseOps.add(tape, u, low);
            return ChannelScaleOp.forward(tape, ChannelScaleOp.forward(tape, z, sharedMask, 1), op.scale(), 1);
        };
    }

    @Test
    void operatorGradientsMatchFiniteDifferencesAndIdentityInitLeavesTheModel() {
        Decoder d = Decoder.of(c, RandomWeights.create(c, 21));
        int h = c.embeddingLength(), r = 3;
        Rng rng = new Rng(22);
        Operator[] ops = new Operator[2 * c.blockCount() + 1];
        for (int i = 0; i < ops.length; i++) {
            float[] ones = new float[h];
            java.util.Arrays.fill(ones, 1f);
            ops[i] = new Operator(TestTensors.param("L0." + i, rng, 0.3f, r, h), Tensor.parameter("L1." + i, new float[h * r], h, r),
                    Tensor.parameter("s." + i, ones, h));
        }
        float[] ones = new float[h];
        java.util.Arrays.fill(ones, 1f);
        Tensor mask = Tensor.parameter("mask", ones, h);
        ForwardOptions opt = ForwardOptions.EVAL.withTaps(hsm(ops, mask));
        int[] toks = DecoderTest.tokens(10, c.vocabSize(), 23), targets = DecoderTest.tokens(10, c.vocabSize(), 24);

        // L1 = 0, s = 1, M = 1: the identity, the model is unchanged
        float[] plain = d.forward(Tape.noGrad(), toks, 1, ForwardOptions.EVAL).data();
        assertThat(d.forward(Tape.noGrad(), toks, 1, opt).data()).containsExactly(plain);

        for (Operator op : ops) {
            for (int i = 0; i < op.l1().size(); i++) op.l1().data()[i] = (float) (0.2 * rng.nextGaussian());
        }
        List<Tensor> params = List.of(ops[0].l0(), ops[0].l1(), ops[1].l0(), ops[4].l1(), ops[3].scale(), mask);
        GradAssert.passes(t -> CrossEntropyLoss.forward(t, d.forward(t, toks, 1, opt), targets, CrossEntropyLoss.IGNORE), params,
                GradientCheck.Options.DEFAULT.withTolerance(1e-2).withCoordinates(4));
    }
}
