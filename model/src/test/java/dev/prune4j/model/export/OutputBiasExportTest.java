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
import dev.prune4j.model.safetensors.SafetensorsCheckpoint;
import dev.prune4j.model.safetensors.SafetensorsDtype;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.Linear;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.model.weights.RandomWeights;
import dev.prune4j.tensor.GgmlType;
import dev.prune4j.tensor.kernels.Rope;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * o_proj and down_proj biases (FLAP's bias compensation) survive export and reload: GGUF writes
 * {@code attn_output.bias} / {@code ffn_down.bias}, which the forward adds; HF sets Llama's {@code attention_bias} and
 * {@code mlp_bias} and writes the other biases of each set as zeros, as transformers expects them.
 */
class OutputBiasExportTest {
    @TempDir Path dir;

    private static final int[] TOKENS = {1, 7, 33, 2, 19, 40, 5, 11};

    private static ModelConfig llama() {
        return new ModelConfig("llama", 2, 24, 50, 64, new int[] {4, 4}, new int[] {2, 2}, new int[] {40, 40}, 8,
                1e-5f, 10000f, 10000f, 1f, 8, Rope.Layout.NORMAL, 0, 0, Activation.SILU, 1f, false, false, false);
    }

    /** Random weights with random o_proj and down_proj biases. */
    private static ModelWeights biased(ModelConfig c) {
        ModelWeights w = RandomWeights.create(c, 5);
        Random r = new Random(6);
        BlockWeights[] blocks = new BlockWeights[c.blockCount()];
        for (int i = 0; i < blocks.length; i++) {
            BlockWeights b = w.blocks()[i];
            blocks[i] = new BlockWeights(b.attnNorm(), b.attnQ(), b.attnK(), b.attnV(), b.attnQNorm(), b.attnKNorm(),
                    withBias(b.attnOutput(), r), b.attnPostNorm(), b.ffnNorm(), b.ffnGate(), b.ffnUp(),
                    withBias(b.ffnDown(), r), b.ffnPostNorm());
        }
        return new ModelWeights(w.tokenEmbd(), blocks, w.outputNorm(), w.output(), w.tied());
    }

    private static Linear withBias(Linear l, Random r) {
        float[] b = new float[l.out()];
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
        return new Linear(l.out(), l.in(), l.weight(), b);
    }

    @Test
    void ggufCarriesOutputBiasesAndTheForwardAddsThem() throws Exception {
        ModelConfig c = llama();
        ModelWeights w = biased(c);
        float[] expected = logits(c, w, TOKENS);
        ModelWeights unbiased = RandomWeights.create(c, 5);
        assertThat(maxDiff(logits(c, unbiased, TOKENS), expected)).as("the biases matter").isGreaterThan(0.1);
        Path gguf = dir.resolve("m.gguf");
        GgufExporter.write(gguf, c, w, Map.of("general.name", GgufValue.string("tiny")), GgmlType.F32);
        try (GgufFile f = GgufFile.open(gguf)) {
            assertThat(f.tensors()).containsKeys("blk.0.attn_output.bias", "blk.1.ffn_down.bias")
                    .doesNotContainKeys("blk.0.attn_q.bias", "blk.0.ffn_gate.bias");
            GgufModelLoader l = new GgufModelLoader(f);
            ModelWeights back = l.loadWeights();
            assertThat(back.blocks()[1].ffnDown().bias()).containsExactly(w.blocks()[1].ffnDown().bias());
            assertThat(back.blocks()[0].attnQ().bias()).isNull();
            assertThat(maxDiff(logits(l.config(), back, TOKENS), expected)).isLessThan(1e-5);
        }
    }

    @Test
    void hfSetsLlamasBiasFlagsAndWritesTheOtherBiasesAsZeros() throws Exception {
        ModelConfig c = llama();
        ModelWeights w = biased(c);
        Path hf = dir.resolve("hf");
        HfExporter.write(hf, Architecture.LLAMA, c, w, SafetensorsDtype.F32, Long.MAX_VALUE, Map.of());
        JsonNode cfg = new ObjectMapper().readTree(hf.resolve("config.json").toFile());
        assertThat(cfg.get("attention_bias").asBoolean()).isTrue();
        assertThat(cfg.get("mlp_bias").asBoolean()).isTrue();
        try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(hf)) {
            for (String zero : new String[] {"q_proj", "k_proj", "v_proj"}) {
                assertThat(ckpt.readFloats("model.layers.1.self_attn." + zero + ".bias")).containsOnly(0f);
            }
            assertThat(ckpt.readFloats("model.layers.0.mlp.gate_proj.bias")).hasSize(40).containsOnly(0f);
            assertThat(ckpt.readFloats("model.layers.0.mlp.up_proj.bias")).hasSize(40).containsOnly(0f);
            assertThat(ckpt.readFloats("model.layers.0.self_attn.o_proj.bias")).containsExactly(w.blocks()[0].attnOutput().bias());
        }
        try (HfModelLoader l = new HfModelLoader(hf)) {
            assertThat(maxDiff(logits(l.config(), l.loadWeights(), TOKENS), logits(c, w, TOKENS))).isLessThan(1e-4);
        }
    }

    @Test
    void aModelWithoutBiasesSetsNoFlags() throws Exception {
        ModelConfig c = llama();
        Path hf = dir.resolve("plain");
        HfExporter.write(hf, Architecture.LLAMA, c, RandomWeights.create(c, 5), SafetensorsDtype.F32, Long.MAX_VALUE, Map.of());
        JsonNode cfg = new ObjectMapper().readTree(hf.resolve("config.json").toFile());
        assertThat(cfg.has("attention_bias")).isFalse();
        assertThat(cfg.has("mlp_bias")).isFalse();
        try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(hf)) {
            assertThat(ckpt.tensorNames()).noneMatch(n -> n.endsWith(".bias"));
        }
    }
}
