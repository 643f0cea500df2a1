package dev.prune4j.train.lora;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.export.RopePermutation;
import dev.prune4j.model.safetensors.SafetensorsFile;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.model.weights.RandomWeights;
import dev.prune4j.train.Rng;
import dev.prune4j.train.autograd.GradAssert;
import dev.prune4j.train.autograd.GradientCheck;
import dev.prune4j.train.autograd.Tape;
import dev.prune4j.train.autograd.Tensor;
import dev.prune4j.train.loss.CrossEntropyLoss;
import dev.prune4j.train.nn.Decoder;
import dev.prune4j.train.nn.ForwardOptions;
import dev.prune4j.train.nn.ReferenceDecoder;
import dev.prune4j.train.nn.TinyModels;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraTest {
    private final ModelConfig c = TinyModels.llamaGqa();
    private final int[] toks = tokens(12, 1);

    private int[] tokens(int n, long seed) {
        Rng r = new Rng(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = r.nextInt(c.vocabSize());
        return t;
    }

    /** Gives every B random values (a fresh adapter is a no-op, which would prove nothing). */
    private static void randomizeB(List<LoraAdapter> adapters, long seed) {
        Rng rng = new Rng(seed);
        for (LoraAdapter a : adapters) {
            float[] b = a.b().data();
            for (int i = 0; i < b.length; i++) b[i] = (float) (0.2 * rng.nextGaussian());
        }
    }

    private static float[] logits(Decoder d, int[] toks) {
        return d.forward(Tape.noGrad(), toks, 1, ForwardOptions.EVAL).data();
    }

    @Test
    void targetSelectionFollowsPeftSemantics() {
        Decoder d = Decoder.of(c, RandomWeights.create(c, 1));
        assertThat(Lora.attach(d, new LoraConfig(4, 8, 0, List.of("q_proj", "v_proj"), null), 1)).extracting(LoraAdapter::moduleName)
                .containsExactly("model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj",
                        "model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.v_proj");
        Decoder all = Decoder.of(c, RandomWeights.create(c, 1));
        assertThat(Lora.attach(all, new LoraConfig(4, 8, 0, List.of(LoraConfig.ALL_LINEAR), null), 1)).hasSize(14);
        Decoder regex = Decoder.of(c, RandomWeights.create(c, 1));
        assertThat(Lora.attach(regex, new LoraConfig(4, 8, 0, List.of(), "model\\.layers\\.1\\.mlp\\..*"), 1))
                .extracting(LoraAdapter::moduleName)
                .containsExactly("model.layers.1.mlp.gate_proj", "model.layers.1.mlp.up_proj", "model.layers.1.mlp.down_proj");
    }

    /** A new adapter (B = 0) leaves the model unchanged; merged equals unmerged once B has values. */
    @Test
    void mergedLogitsEqualUnmerged() {
        ModelWeights w = RandomWeights.create(c, 2);
        Decoder d = Decoder.of(c, w);
        float[] base = logits(d, toks);
        List<LoraAdapter> adapters = Lora.attach(d, new LoraConfig(4, 8, 0.1f, List.of(LoraConfig.ALL_LINEAR), null), 3);
        assertThat(logits(d, toks)).containsExactly(base);
        randomizeB(adapters, 4);
        float[] unmerged = logits(d, toks);
        assertThat(maxDiff(unmerged, base)).as("the adapters change the logits").isGreaterThan(1e-2);
        Lora.merge(d);
        assertThat(d.linears()).allSatisfy(m -> assertThat(m.adapter()).isNull());
        assertThat(maxDiff(logits(d, toks), unmerged)).as("max |merged − unmerged| logit").isLessThan(1e-4);
        // the model's own arrays now hold the merged weights
        assertThat(maxDiff(logits(Decoder.of(c, w), toks), unmerged)).isLessThan(1e-4);
    }

    /** Gradients reach A and B only; the frozen base weights get none. */
    @Test
    void adapterGradientsMatchFiniteDifferencesAndBaseStaysFrozen() {
        Decoder d = Decoder.of(c, RandomWeights.create(c, 5));
        List<LoraAdapter> adapters = Lora.attach(d, new LoraConfig(3, 6, 0.2f, List.of("k_proj", "down_proj"), null), 6);
        randomizeB(adapters, 7);
        int[] targets = tokens(12, 8);
        ForwardOptions train = new ForwardOptions(true, false, 99, dev.prune4j.train.nn.Taps.NONE);
        GradAssert.passes(t -> CrossEntropyLoss.forward(t, d.forward(t, toks, 1, train), targets, CrossEntropyLoss.IGNORE),
                Lora.parameters(adapters), GradientCheck.Options.DEFAULT.withTolerance(1e-2).withCoordinates(4));
        assertThat(d.tensors().values()).allSatisfy(t -> assertThat(t.hasGrad()).as(t.name()).isFalse());
    }

    /**
     * Without dropout, against fp64 finite differences of the reference decoder with the merged weight
     * {@code W + (alpha/r)·B·A} computed in double from the perturbed A and B.
     */
    @Test
    void adapterGradientsMatchFp64FiniteDifferences() {
        Decoder d = Decoder.of(c, RandomWeights.create(c, 12));
        LoraConfig cfg = new LoraConfig(3, 6, 0f, List.of("q_proj", "up_proj", "o_proj"), null);
        List<LoraAdapter> adapters = Lora.attach(d, cfg, 13);
        randomizeB(adapters, 14);
        int[] targets = tokens(12, 15);
        List<Tensor> params = Lora.parameters(adapters);
        GradientCheck.Reference reference = inputs -> {
            Map<String, double[]> all = new HashMap<>();
            for (Tensor t : d.tensors().values()) {
                double[] v = new double[t.size()];
                for (int i = 0; i < v.length; i++) v[i] = t.data()[i];
                all.put(t.name(), v);
            }
            for (int k = 0; k < adapters.size(); k++) {
                LoraAdapter a = adapters.get(k);
                double[] w = all.get(a.moduleName() + ".weight"), av = inputs[2 * k], bv = inputs[2 * k + 1];
                int r = a.rank(), in = a.a().dim(1), out = a.b().dim(0);
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < in; i++) {
                        double s = 0;
                        for (int j = 0; j < r; j++) s += bv[o * r + j] * av[j * in + i];
                        w[o * in + i] += cfg.scale() * s;
                    }
                }
            }
            return new double[] {new ReferenceDecoder(c, all).loss(toks, 1, targets)};
        };
        GradientCheck.Result r = GradientCheck.checkAgainst(t -> CrossEntropyLoss.forward(t, d.forward(t, toks, 1, ForwardOptions.EVAL),
                targets, CrossEntropyLoss.IGNORE), params, reference, GradientCheck.Options.FP64_REFERENCE.withCoordinates(4));
        System.out.println("LoRA " + r);
        assertThat(r.passed()).as(r.toString()).isTrue();
    }

    /**
     * Saved with PEFT names, shapes and config; q/k lora_B rows in Hugging Face order; loading into a fresh decoder
     * gives the same logits.
     */
    @Test
    void saveAndLoadRoundTrip(@TempDir Path dir) throws Exception {
        ModelWeights w = RandomWeights.create(c, 9);
        Decoder d = Decoder.of(c, w);
        LoraConfig cfg = new LoraConfig(4, 16, 0.05f, List.of("q_proj", "k_proj", "o_proj"), null);
        List<LoraAdapter> adapters = Lora.attach(d, cfg, 10);
        randomizeB(adapters, 11);
        AdapterFiles.save(dir, adapters, cfg, c, "tiny-llama");

        JsonNode json = new ObjectMapper().readTree(dir.resolve(AdapterFiles.CONFIG).toFile());
        assertThat(json.get("peft_type").asText()).isEqualTo("LORA");
        assertThat(json.get("r").asInt()).isEqualTo(4);
        assertThat(json.get("lora_alpha").isInt()).isTrue();
        assertThat(json.get("lora_alpha").asInt()).isEqualTo(16);
        assertThat(json.get("target_modules")).extracting(JsonNode::asText).containsExactly("q_proj", "k_proj", "o_proj");
        try (SafetensorsFile st = SafetensorsFile.open(dir.resolve(AdapterFiles.WEIGHTS))) {
            String qB = "base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight";
            assertThat(st.tensors()).containsKeys("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", qB,
                    "base_model.model.model.layers.1.self_attn.o_proj.lora_B.weight");
            assertThat(st.tensor(qB).shape()).containsExactly(32, 4);
            LoraAdapter q1 = adapters.get(3);
            assertThat(q1.moduleName()).isEqualTo("model.layers.1.self_attn.q_proj");
            assertThat(st.readFloats(qB)).containsExactly(RopePermutation.toHalfSplit(q1.b().data(), 4, 8, 4));
        }
        Decoder fresh = Decoder.of(c, w);
        List<LoraAdapter> loaded = AdapterFiles.load(dir, fresh);
        assertThat(loaded).hasSize(adapters.size());
        assertThat(logits(fresh, toks)).containsExactly(logits(d, toks));
    }

    private static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
