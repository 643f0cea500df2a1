package dev.prune4j.train.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.train.Rng;
import dev.prune4j.train.autograd.Tape;
import dev.prune4j.train.autograd.Tensor;
import dev.prune4j.train.autograd.TestTensors;
import dev.prune4j.train.loss.CrossEntropyLoss;
import dev.prune4j.train.lora.Lora;
import dev.prune4j.train.lora.LoraAdapter;
import dev.prune4j.train.lora.LoraConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Activation recomputation trades time for memory and must not change a single bit of the gradients. */
class RecomputeTest {
    static Stream<ModelConfig> configs() {
        return Stream.of(TinyModels.llamaGqa(), TinyModels.gemma());
    }

    private record Run(float loss, List<float[]> grads, long peakBytes) {}

    private static Run run(ModelConfig c, boolean recompute) {
        ModelWeights w = TinyModels.randomWeights(c, 3);
        Decoder d = Decoder.of(c, w, name -> name.contains("norm"));
        List<LoraAdapter> adapters = Lora.attach(d, new LoraConfig(4, 8, 0.1f, List.of(LoraConfig.ALL_LINEAR), null), 4);
        Rng rng = new Rng(5);
        for (LoraAdapter a : adapters) {
            float[] b = a.b().data();
            for (int i = 0; i < b.length; i++) b[i] = (float) (0.1 * rng.nextGaussian());
        }
        Tensor heads = TestTensors.param("head scores", rng, 1f, 4);
        Taps taps = ChannelMask.heads(l -> heads, c.headDim(), MaskGate.sigmoid(() -> 2, () -> 0));
        int[] toks = DecoderTest.tokens(40, c.vocabSize(), 6), targets = DecoderTest.tokens(40, c.vocabSize(), 7);
        Tape tape = new Tape();
        ForwardOptions opt = new ForwardOptions(true, recompute, 1234, taps);
        Tensor loss = CrossEntropyLoss.forward(tape, d.forward(tape, toks, 2, opt), targets, CrossEntropyLoss.IGNORE);
        tape.backward(loss);
        List<float[]> grads = new ArrayList<>();
        for (Tensor t : Lora.parameters(adapters)) grads.add(t.grad());
        for (Tensor t : d.trainableBaseTensors()) grads.add(t.grad());
        grads.add(heads.grad());
        return new Run(loss.item(), grads, tape.peakActivationBytes());
    }

    @ParameterizedTest
    @MethodSource("configs")
    void sameGradientsWithAndWithoutRecomputation(ModelConfig c) {
        Run plain = run(c, false), recomputed = run(c, true);
        assertThat(recomputed.loss()).isEqualTo(plain.loss());
        assertThat(recomputed.grads()).hasSameSizeAs(plain.grads());
        for (int i = 0; i < plain.grads().size(); i++) assertThat(recomputed.grads().get(i)).containsExactly(plain.grads().get(i));
        assertThat(recomputed.peakBytes()).as("activation bytes kept").isLessThan(plain.peakBytes());
    }
}
