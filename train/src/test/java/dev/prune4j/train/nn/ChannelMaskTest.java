package dev.prune4j.train.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.weights.Linear;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.model.weights.RandomWeights;
import dev.prune4j.train.autograd.GradAssert;
import dev.prune4j.train.autograd.GradientCheck;
import dev.prune4j.train.autograd.MaskGates;
import dev.prune4j.train.autograd.Tape;
import dev.prune4j.train.autograd.Tensor;
import dev.prune4j.train.loss.CrossEntropyLoss;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelMaskTest {
    private final ModelConfig c = TinyModels.llamaGqa();
    private final int[] toks = DecoderTest.tokens(10, c.vocabSize(), 1);

    /** Zeroing a column block of a weight is what removing a head or channel does; the mask must do the same. */
    private static void zeroColumns(Linear l, int from, int to) {
        for (int r = 0; r < l.out(); r++) {
            for (int j = from; j < to; j++) l.weight()[r * l.in() + j] = 0f;
        }
    }

    @Test
    void zeroHeadMaskEqualsZeroedOutputProjectionColumns() {
        ModelWeights w = RandomWeights.create(c, 3);
        Tensor[] scores = {Tensor.constant(new float[] {1, 0, 1, 1}, 4), Tensor.constant(new float[] {1, 1, 1, 0}, 4)};
        ChannelMask mask = ChannelMask.heads(layer -> scores[layer], c.headDim(), MaskGate.identity());
        float[] masked = Decoder.of(c, w).forward(Tape.noGrad(), toks, 1, ForwardOptions.EVAL.withTaps(mask)).data();
        zeroColumns(w.blocks()[0].attnOutput(), 8, 16);
        zeroColumns(w.blocks()[1].attnOutput(), 24, 32);
        float[] pruned = DecoderTest.inferenceLogits(c, w, toks);
        assertThat(DecoderTest.maxDiff(masked, 0, pruned, pruned.length)).isLessThan(1e-5);
    }

    @Test
    void zeroFfnMaskEqualsZeroedDownProjectionColumns() {
        ModelWeights w = RandomWeights.create(c, 4);
        float[] keep = new float[48];
        java.util.Arrays.fill(keep, 1f);
        keep[3] = keep[17] = 0f;
        Tensor s = Tensor.constant(keep, 48);
        float[] masked = Decoder.of(c, w).forward(Tape.noGrad(), toks, 1,
                ForwardOptions.EVAL.withTaps(ChannelMask.ffnChannels(layer -> layer == 1 ? s : null, MaskGate.identity()))).data();
        zeroColumns(w.blocks()[1].ffnDown(), 3, 4);
        zeroColumns(w.blocks()[1].ffnDown(), 17, 18);
        float[] pruned = DecoderTest.inferenceLogits(c, w, toks);
        assertThat(DecoderTest.maxDiff(masked, 0, pruned, pruned.length)).isLessThan(1e-5);
    }

    /** Gradients of sigmoid-gated head, FFN and shared hidden masks through the whole model. */
    @Test
    void maskScoreGradientsMatchFp64FiniteDifferences() {
        Decoder d = Decoder.of(c, RandomWeights.create(c, 6));
        dev.prune4j.train.Rng rng = new dev.prune4j.train.Rng(2);
        Tensor heads = dev.prune4j.train.autograd.TestTensors.param("head scores", rng, 0.5f, 4);
        Tensor ffn = dev.prune4j.train.autograd.TestTensors.param("ffn scores", rng, 0.5f, 48);
        Tensor hidden = dev.prune4j.train.autograd.TestTensors.param("hidden scores", rng, 0.5f, 32);
        MaskGate gate = MaskGate.sigmoid(() -> 3.0, () -> 0.1);
        Taps taps = ChannelMask.heads(l -> heads, c.headDim(), gate)
                .then(ChannelMask.ffnChannels(l -> ffn, gate))
                .then(ChannelMask.hiddenChannels(hidden, gate));
        int[] targets = DecoderTest.tokens(10, c.vocabSize(), 2);
        ForwardOptions opt = ForwardOptions.EVAL.withTaps(taps);
        GradAssert.passes(t -> CrossEntropyLoss.forward(t, d.forward(t, toks, 1, opt), targets, CrossEntropyLoss.IGNORE),
                List.of(heads, ffn, hidden), GradientCheck.Options.DEFAULT.withTolerance(1e-2));
    }

    /** Straight-through top-k: the forward keeps exactly k heads, the scores still get gradients. */
    @Test
    void straightThroughTopKMaskKeepsKHeadsAndLearns() {
        Decoder d = Decoder.of(c, RandomWeights.create(c, 7));
        Tensor scores = Tensor.parameter("scores", new float[] {0.9f, 0.1f, 0.5f, 0.3f}, 4);
        Tape tape = new Tape();
        Tensor m = MaskGates.straightThrough(tape, scores, MaskGates.topK(2));
        assertThat(m.data()).containsExactly(1, 0, 1, 0);
        ChannelMask mask = ChannelMask.heads(l -> scores, c.headDim(), MaskGate.straightThrough(MaskGates.topK(2)));
        Tensor loss = CrossEntropyLoss.forward(tape, d.forward(tape, toks, 1, ForwardOptions.EVAL.withTaps(mask)),
                DecoderTest.tokens(10, c.vocabSize(), 3), CrossEntropyLoss.IGNORE);
        tape.backward(loss);
        for (float g : scores.grad()) assertThat(g).isNotZero();
    }
}
