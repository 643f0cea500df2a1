package dev.prune4j.model.export;

import static dev.prune4j.model.export.ExportChecks.logits;
import static dev.prune4j.model.export.ExportChecks.maxDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.prune4j.model.Assets;
import dev.prune4j.model.arch.Architecture;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.gguf.GgufFile;
import dev.prune4j.model.hf.HfModelLoader;
import dev.prune4j.model.load.GgufModelLoader;
import dev.prune4j.model.safetensors.SafetensorsDtype;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.tensor.kernels.Rope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GGUF → Hugging Face directory → load gives the same logits: proves the q/k row permutation (Llama), the Gemma norm
 * offset, the config mapping and sharded checkpoints together. GGUF export of the HF-loaded model permutes back.
 */
class HfRoundTripTest {
    @TempDir Path dir;

    private static final int[] TOKENS = {1, 403, 407, 261, 378, 432, 383, 286, 261};

    private void roundTrip(Path gguf, int[] tokens, long shardBytes) throws Exception {
        float[] expected;
        Path hf = dir.resolve("hf");
        try (GgufFile f = GgufFile.open(gguf)) {
            GgufModelLoader l = new GgufModelLoader(f);
            ModelWeights w = l.loadWeights();
            expected = logits(l.config(), w, tokens);
            HfExporter.write(hf, l.architecture(), l.config(), w, SafetensorsDtype.F32, shardBytes, Map.of());
        }
        try (HfModelLoader l = new HfModelLoader(hf)) {
            assertThat(l.config().ropeLayout()).isEqualTo(Rope.Layout.NEOX);
            ModelWeights w = l.loadWeights();
            assertThat(maxDiff(logits(l.config(), w, tokens), expected)).as("HF vs GGUF logits").isLessThan(1e-4);
            // and back to GGUF: llama needs adjacent-pair rows again
            Path back = dir.resolve("back.gguf");
            GgufExporter.write(back, l.config(), w, Map.of(), dev.prune4j.tensor.GgmlType.F32);
            try (GgufFile f = GgufFile.open(back)) {
                GgufModelLoader g = new GgufModelLoader(f);
                assertThat(maxDiff(logits(g.config(), g.loadWeights(), tokens), expected)).as("GGUF → HF → GGUF logits").isLessThan(1e-4);
            }
        }
    }

    @Test
    void stories260KSurvivesHfExportShardedAndBack() throws Exception {
        Path m = Assets.stories260K().orElse(null);
        assumeTrue(m != null, "../shared/models/stories260K-f32.gguf is absent (not a developer or CI machine)");
        roundTrip(m, TOKENS, 200_000); // ~1 MB of weights: several shards
        assertThat(Files.exists(dir.resolve("hf/model.safetensors.index.json"))).isTrue();
    }

    @Test
    @Tag("assets")
    void gemma3SurvivesHfExport() throws Exception {
        Path m = Assets.model(Assets.GEMMA3_Q4_K_M);
        assumeTrue(Files.exists(m), "run scripts/fetch-assets.sh first");
        roundTrip(m, new int[] {2, 818, 5279, 529, 7001, 563}, Long.MAX_VALUE);
    }

    @Test
    void architectureNamesAreSharedByLoaderAndExporter() {
        assertThat(Architecture.GEMMA3.hfName(dev.prune4j.model.arch.TensorRole.FFN_NORM, 3))
                .isEqualTo("model.layers.3.pre_feedforward_layernorm.weight");
        assertThat(Architecture.LLAMA.hfName(dev.prune4j.model.arch.TensorRole.FFN_NORM, 3))
                .isEqualTo("model.layers.3.post_attention_layernorm.weight");
    }
}
