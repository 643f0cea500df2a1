package dev.prune4j.model.export;

import static dev.prune4j.model.export.ExportChecks.logits;
import static dev.prune4j.model.export.ExportChecks.maxDiff;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prune4j.model.arch.Architecture;
import dev.prune4j.model.config.Activation;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.gguf.GgufFile;
import dev.prune4j.model.gguf.GgufValue;
import dev.prune4j.model.hf.HfModelLoader;
import dev.prune4j.model.load.GgufModelLoader;
import dev.prune4j.model.safetensors.SafetensorsDtype;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.model.weights.RandomWeights;
import dev.prune4j.tensor.GgmlType;
import dev.prune4j.tensor.kernels.Rope;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Structured pruning's shapes survive export: uniform widths as the scalar keys every runtime reads, per-layer widths
 * as GGUF arrays (Llama under llama.cpp's per-layer name "deci") and as the documented config.json extension; a
 * hidden width that is not heads × head_dim needs the explicit head_dim. Reloading gives the same logits.
 */
class PerLayerExportTest {
    @TempDir Path dir;

    private static final int[] TOKENS = {1, 7, 33, 2, 19, 40, 5, 11, 28, 3};

    /** Llama with d = 24 (not 4 × 8: hidden channels were cut) and every layer alike. */
    private static ModelConfig uniformLlama() {
        return new ModelConfig("llama", 2, 24, 50, 64, new int[] {4, 4}, new int[] {2, 2}, new int[] {40, 40}, 8,
                2e-5f, 10000f, 10000f, 1f, 8, Rope.Layout.NORMAL, 0, 0, Activation.SILU, 1f, false, false, false);
    }

    private static ModelConfig raggedLlama() {
        return new ModelConfig("llama", 3, 32, 50, 64, new int[] {4, 2, 6}, new int[] {2, 1, 3}, new int[] {48, 16, 40}, 8,
                1e-5f, 10000f, 10000f, 1f, 8, Rope.Layout.NORMAL, 0, 0, Activation.SILU, 1f, false, false, false);
    }

    /** Gemma-3 with llama.cpp's fixed pattern of 6 (GGUF has no key for it). */
    private static ModelConfig raggedGemma() {
        return new ModelConfig("gemma3", 2, 24, 50, 64, new int[] {4, 2}, new int[] {2, 1}, new int[] {32, 24}, 16,
                1e-6f, 1e6f, 1e4f, 1f, 16, Rope.Layout.NEOX, 5, 6, Activation.GELU_TANH, (float) Math.sqrt(24), true, true, true);
    }

    /** Writes GGUF and HF, reloads both, returns the GGUF metadata and the config.json. */
    private Object[] roundTrip(ModelConfig c) throws Exception {
        ModelWeights w = RandomWeights.create(c, 4);
        float[] expected = logits(c, w, TOKENS);
        Path gguf = dir.resolve("m.gguf");
        GgufExporter.write(gguf, c, w, Map.of("general.name", GgufValue.string("tiny")), GgmlType.F32);
        Map<String, GgufValue> meta;
        try (GgufFile f = GgufFile.open(gguf)) {
            GgufModelLoader l = new GgufModelLoader(f);
            assertThat(l.config().headCount()).isEqualTo(c.headCount());
            assertThat(l.config().architecture()).isEqualTo(c.architecture());
            assertThat(maxDiff(logits(l.config(), l.loadWeights(), TOKENS), expected)).as("GGUF reload").isLessThan(1e-5);
            meta = f.metadata();
        }
        Path hf = dir.resolve("hf");
        HfExporter.write(hf, Architecture.fromGgufName(c.architecture(), "test"), c, w,
                SafetensorsDtype.F32, Long.MAX_VALUE, Map.of());
        try (HfModelLoader l = new HfModelLoader(hf)) {
            assertThat(l.config().feedForwardLength()).isEqualTo(c.feedForwardLength());
            assertThat(maxDiff(logits(l.config(), l.loadWeights(), TOKENS), expected)).as("HF reload").isLessThan(1e-4);
        }
        return new Object[] {meta, new ObjectMapper().readTree(hf.resolve("config.json").toFile())};
    }

    @Test
    @SuppressWarnings("unchecked")
    void uniformWidthsUseTheStandardScalarKeys() throws Exception {
        Object[] r = roundTrip(uniformLlama());
        Map<String, GgufValue> meta = (Map<String, GgufValue>) r[0];
        assertThat(meta.get("general.architecture").value()).isEqualTo("llama");
        assertThat(meta.get("llama.attention.head_count").value()).isEqualTo(4L);
        assertThat(meta.get("llama.feed_forward_length").value()).isEqualTo(40L);
        assertThat(meta.get("llama.attention.key_length").value()).isEqualTo(8L);
        JsonNode cfg = (JsonNode) r[1];
        assertThat(cfg.get("head_dim").asInt()).isEqualTo(8);
        assertThat(cfg.get("num_attention_heads").asInt()).isEqualTo(4);
        assertThat(cfg.get("hidden_size").asInt()).isEqualTo(24);
        assertThat(cfg.fieldNames()).toIterable().noneMatch(k -> k.startsWith("prune4j_"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void perLayerLlamaIsWrittenAsDeciWithArrays() throws Exception {
        Object[] r = roundTrip(raggedLlama());
        Map<String, GgufValue> meta = (Map<String, GgufValue>) r[0];
        assertThat(meta.get("general.architecture").value()).isEqualTo("deci");
        assertThat(meta.keySet()).noneMatch(k -> k.startsWith("llama."));
        assertThat((int[]) meta.get("deci.attention.head_count").value()).containsExactly(4, 2, 6);
        assertThat((int[]) meta.get("deci.attention.head_count_kv").value()).containsExactly(2, 1, 3);
        assertThat((int[]) meta.get("deci.feed_forward_length").value()).containsExactly(48, 16, 40);
        JsonNode cfg = (JsonNode) r[1];
        assertThat(cfg.get("model_type").asText()).isEqualTo("llama");
        assertThat(cfg.get("prune4j_layer_num_heads").toString()).isEqualTo("[4,2,6]");
        assertThat(cfg.get("prune4j_layer_intermediate_size").toString()).isEqualTo("[48,16,40]");
    }

    @Test
    @SuppressWarnings("unchecked")
    void perLayerGemmaKeepsItsArchitectureWithArrays() throws Exception {
        Object[] r = roundTrip(raggedGemma());
        Map<String, GgufValue> meta = (Map<String, GgufValue>) r[0];
        assertThat(meta.get("general.architecture").value()).isEqualTo("gemma3");
        assertThat((int[]) meta.get("gemma3.feed_forward_length").value()).containsExactly(32, 24);
        assertThat(((JsonNode) r[1]).get("prune4j_layer_num_kv_heads").toString()).isEqualTo("[2,1]");
    }

    @Test
    void aDeciFileExportedBackAsUniformIsLlamaAgain() throws Exception {
        ModelConfig c = raggedLlama();
        ModelWeights w = RandomWeights.create(c, 4);
        Path deci = dir.resolve("deci.gguf");
        GgufExporter.write(deci, c, w, Map.of(), GgmlType.F32);
        ModelConfig uniform = uniformLlama();
        Path back = dir.resolve("back.gguf");
        try (GgufFile f = GgufFile.open(deci)) {
            GgufExporter.write(back, uniform, RandomWeights.create(uniform, 1), f.metadata(), GgmlType.F32);
        }
        try (GgufFile f = GgufFile.open(back)) {
            assertThat(f.getString("general.architecture")).isEqualTo("llama");
            assertThat(f.metadata().keySet()).noneMatch(k -> k.startsWith("deci."));
            assertThat(new GgufModelLoader(f).config().embeddingLength()).isEqualTo(24);
        }
    }
}
