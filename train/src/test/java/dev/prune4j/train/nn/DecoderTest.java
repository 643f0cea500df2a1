package dev.prune4j.train.nn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.forward.ForwardHooks;
import dev.prune4j.model.forward.Transformer;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.train.Rng;
import dev.prune4j.train.autograd.GradAssert;
import dev.prune4j.train.autograd.GradientCheck;
import dev.prune4j.train.autograd.Tape;
import dev.prune4j.train.autograd.Tensor;
import dev.prune4j.train.loss.CrossEntropyLoss;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DecoderTest {
    static Stream<ModelConfig> configs() {
        return Stream.of(TinyModels.llamaGqa(), TinyModels.gemma(), TinyModels.ragged());
    }

    static int[] tokens(int n, int vocab, long seed) {
        Rng r = new Rng(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = r.nextInt(vocab);
        return t;
    }

    /** Logits of the inference forward for one sequence: [n, vocab]. */
    static float[] inferenceLogits(ModelConfig c, ModelWeights w, int[] toks) {
        Transformer tr = new Transformer(c, w);
        float[] hidden = tr.forward(toks, tr.newCache(toks.length), ForwardHooks.NONE);
        float[] out = new float[toks.length * c.vocabSize()];
        tr.logits(hidden, 0, toks.length, out);
        return out;
    }

    static double maxDiff(float[] a, int aOff, float[] b, int n) {
        double m = 0;
        for (int i = 0; i < n; i++) m = Math.max(m, Math.abs(a[aOff + i] - b[i]));
        return m;
    }

    /** Two sequences in one batch give each the logits of the inference forward; 70 tokens span two attention tiles. */
    @ParameterizedTest
    @MethodSource("configs")
    void logitsEqualInferenceTransformer(ModelConfig c) {
        ModelWeights w = TinyModels.randomWeights(c, 11);
        int n = 70;
        int[] a = tokens(n, c.vocabSize(), 1), b = tokens(n, c.vocabSize(), 2);
        int[] both = new int[2 * n];
        System.arraycopy(a, 0, both, 0, n);
        System.arraycopy(b, 0, both, n, n);
        float[] logits = Decoder.of(c, w).forward(Tape.noGrad(), both, 2, ForwardOptions.EVAL).data();
        int v = c.vocabSize();
        assertThat(maxDiff(logits, 0, inferenceLogits(c, w, a), n * v)).as("sequence 1").isLessThan(1e-4);
        assertThat(maxDiff(logits, n * v, inferenceLogits(c, w, b), n * v)).as("sequence 2").isLessThan(1e-4);
    }

    @Test
    void stories260KLogitsEqualInferenceTransformer() {
        LanguageModel m = TinyModels.stories260K().orElse(null);
        Assumptions.assumeTrue(m != null, "stories260K not found under ../shared/models");
        int[] toks = m.encodePrompt("Once upon a time, there was a little girl named Lily. She loved to play outside.");
        float[] logits = Decoder.of(m.config(), m.weights()).forward(Tape.noGrad(), toks, 1, ForwardOptions.EVAL).data();
        double d = maxDiff(logits, 0, inferenceLogits(m.config(), m.weights(), toks), logits.length);
        assertThat(d).as("max |logit difference| on stories260K").isLessThan(1e-4);
    }

    /**
     * Finite differences of the fp64 {@link ReferenceDecoder}'s loss, as seen from the chosen tensors of the decoder
     * (all others stay at their current values).
     */
    static GradientCheck.Reference reference(Decoder d, List<Tensor> checked, int[] toks, int batch, int[] targets) {
        return inputs -> {
            Map<String, double[]> all = new HashMap<>();
            for (Tensor t : d.tensors().values()) all.put(t.name(), toDouble(t.data()));
            for (int k = 0; k < checked.size(); k++) all.put(checked.get(k).name(), inputs[k]);
            return new double[] {new ReferenceDecoder(d.config(), all).loss(toks, batch, targets)};
        };
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    /**
     * Whole-model gradient check on random models (2-layer GQA Llama, Gemma-3 features, ragged Qwen2 with biases):
     * every base tensor trainable, mean next-token cross-entropy of a 2×12 batch with one ignored label; sampled
     * coordinates and a random direction of the embedding, the first block's attention, the last block's MLP and all
     * norms, against fp64 finite differences.
     */
    @ParameterizedTest
    @MethodSource("configs")
    void wholeModelGradientsMatchFp64FiniteDifferences(ModelConfig c) {
        Decoder d = Decoder.of(c, TinyModels.randomWeights(c, 5), name -> true);
        int[] toks = tokens(24, c.vocabSize(), 3);
        int[] targets = tokens(24, c.vocabSize(), 4);
        targets[5] = CrossEntropyLoss.IGNORE;
        List<Tensor> checked = new ArrayList<>();
        for (Tensor t : d.tensors().values()) {
            String n = t.name();
            if (n.contains("embed") || n.contains("layers.0.self_attn") || n.contains("layers.1.mlp") || n.contains("norm")) checked.add(t);
        }
        GradientCheck.Result r = GradientCheck.checkAgainst(t -> CrossEntropyLoss.forward(t, d.forward(t, toks, 2, ForwardOptions.EVAL),
                targets, CrossEntropyLoss.IGNORE), checked, reference(d, checked, toks, 2, targets),
                GradientCheck.Options.FP64_REFERENCE.withCoordinates(4));
        System.out.println(c.architecture() + " " + r);
        assertThat(r.passed()).as(r.toString()).isTrue();
    }

    /** stories260K (5 layers, GQA 8/4): sampled coordinates of the embedding, one attention and one MLP matrix, norms. */
    @Test
    void stories260KGradientsMatchFp64FiniteDifferences() {
        LanguageModel m = TinyModels.stories260K().orElse(null);
        Assumptions.assumeTrue(m != null, "stories260K not found under ../shared/models");
        Decoder d = Decoder.of(m.config(), m.weights(), name -> true);
        int[] seq = m.encodePrompt("Tom had a red ball. He threw it to his dog and the dog ran after it.");
        int[] toks = Arrays.copyOf(seq, seq.length - 1);
        int[] targets = Arrays.copyOfRange(seq, 1, seq.length);
        List<Tensor> checked = List.of(
                d.tensors().get("model.embed_tokens.weight"),
                d.tensors().get("model.layers.2.self_attn.k_proj.weight"),
                d.tensors().get("model.layers.4.mlp.down_proj.weight"),
                d.tensors().get("model.layers.1.input_layernorm.weight"),
                d.tensors().get("model.norm.weight"));
        GradientCheck.Result r = GradientCheck.checkAgainst(t -> CrossEntropyLoss.forward(t, d.forward(t, toks, 1, ForwardOptions.EVAL),
                targets, CrossEntropyLoss.IGNORE), checked, reference(d, checked, toks, 1, targets),
                GradientCheck.Options.FP64_REFERENCE.withCoordinates(4));
        System.out.println("stories260K " + r);
        assertThat(r.passed()).as(r.toString()).isTrue();
    }

    /** The fp64 reference agrees with the fp32 decoder's logits, so it is an oracle of the same function. */
    @ParameterizedTest
    @MethodSource("configs")
    void referenceDecoderAgreesWithDecoder(ModelConfig c) {
        Decoder d = Decoder.of(c, TinyModels.randomWeights(c, 8));
        int[] toks = tokens(20, c.vocabSize(), 9);
        Map<String, double[]> all = new HashMap<>();
        for (Tensor t : d.tensors().values()) all.put(t.name(), toDouble(t.data()));
        double[] ref = new ReferenceDecoder(c, all).logits(toks, 2);
        float[] got = d.forward(Tape.noGrad(), toks, 2, ForwardOptions.EVAL).data();
        double m = 0;
        for (int i = 0; i < got.length; i++) m = Math.max(m, Math.abs(got[i] - ref[i]));
        assertThat(m).as("max |fp32 decoder − fp64 reference| logit").isLessThan(1e-4);
    }
}
