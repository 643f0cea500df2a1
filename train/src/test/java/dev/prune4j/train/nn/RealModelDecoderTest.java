package dev.prune4j.train.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prune4j.model.Assets;
import dev.prune4j.model.LanguageModel;
import dev.prune4j.train.autograd.Tape;
import dev.prune4j.train.autograd.Tensor;
import dev.prune4j.train.loss.CrossEntropyLoss;
import dev.prune4j.train.lora.Lora;
import dev.prune4j.train.lora.LoraAdapter;
import dev.prune4j.train.lora.LoraConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The differentiable decoder on the fetched SmolLM2 (Llama, GQA 9/3, tied) and Gemma-3 (QK-norm, sandwich norms, sliding window). */
@Tag("assets")
class RealModelDecoderTest {
    @ParameterizedTest
    @ValueSource(strings = {Assets.SMOLLM2_Q4_1, Assets.GEMMA3_Q4_K_M})
    void logitsEqualInferenceAndLoraGradientsFlow(String file) throws Exception {
        Path p = Assets.model(file);
        Assumptions.assumeTrue(Files.isRegularFile(p), p + " not fetched (scripts/fetch-assets.sh)");
        LanguageModel m = LanguageModel.load(p);
        int[] toks = m.encodePrompt("The state of the Union is strong, and the economy of the nation keeps growing every year.");
        Decoder d = Decoder.of(m.config(), m.weights());
        float[] logits = d.forward(Tape.noGrad(), toks, 1, ForwardOptions.EVAL).data();
        float[] expected = DecoderTest.inferenceLogits(m.config(), m.weights(), toks);
        double diff = DecoderTest.maxDiff(logits, 0, expected, expected.length);
        System.out.printf("%s: max |logit difference| %.2e over %d tokens%n", file, diff, toks.length);
        assertThat(diff).isLessThan(1e-3);

        List<LoraAdapter> adapters = Lora.attach(d, new LoraConfig(4, 8, 0, List.of("q_proj", "down_proj"), null), 1);
        for (LoraAdapter a : adapters) java.util.Arrays.fill(a.b().data(), 0.01f);
        int[] in = java.util.Arrays.copyOf(toks, toks.length - 1), targets = java.util.Arrays.copyOfRange(toks, 1, toks.length);
        Tape tape = new Tape();
        tape.backward(CrossEntropyLoss.forward(tape, d.forward(tape, in, 1, ForwardOptions.EVAL), targets, CrossEntropyLoss.IGNORE));
        for (Tensor t : Lora.parameters(adapters)) {
            double norm = 0;
            for (float g : t.grad()) norm += g * g;
            assertThat(norm).as(t.name()).isPositive().isFinite();
        }
    }
}
