package dev.prune4j.prune.structure.surgery;

import static dev.prune4j.prune.structure.TinyModels.TOKENS;
import static dev.prune4j.prune.structure.TinyModels.logits;
import static dev.prune4j.prune.structure.TinyModels.relativeDifference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.prune4j.model.Assets;
import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.arch.Architecture;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.export.GgufExporter;
import dev.prune4j.model.export.HfExporter;
import dev.prune4j.model.gguf.GgufFile;
import dev.prune4j.model.hf.HfModelLoader;
import dev.prune4j.model.load.GgufModelLoader;
import dev.prune4j.model.safetensors.SafetensorsDtype;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.prune.structure.PlanBuilder;
import dev.prune4j.prune.structure.StructuredPlan;
import dev.prune4j.prune.structure.TinyModels;
import dev.prune4j.tensor.GgmlType;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A structurally pruned model written to GGUF or HF and loaded again computes the same logits. */
class StructuredExportTest {
    @TempDir Path dir;

    private static final double TOLERANCE = 1e-5;

    private static LanguageModel stories() throws Exception {
        Path m = Assets.stories260K().orElse(null);
        assumeTrue(m != null, "../shared/models/stories260K-f32.gguf is absent (not a developer or CI machine)");
        return LanguageModel.load(m);
    }

    /** Exports to GGUF, reloads with LanguageModel.load, compares logits with the in-memory result. */
    private LanguageModel ggufRoundTrip(LanguageModel m, StructuredPlan plan) throws Exception {
        PrunedModel p = StructuredSurgery.apply(m.config(), m.weights(), plan);
        Path file = dir.resolve("pruned.gguf");
        GgufExporter.write(file, p.config(), p.weights(), m.metadata(), GgmlType.F32);
        LanguageModel back = LanguageModel.load(file);
        assertThat(back.config().headCount()).isEqualTo(p.config().headCount());
        assertThat(back.config().headCountKv()).isEqualTo(p.config().headCountKv());
        assertThat(back.config().feedForwardLength()).isEqualTo(p.config().feedForwardLength());
        assertThat(back.config().embeddingLength()).isEqualTo(p.config().embeddingLength());
        assertThat(back.config().rmsNormEps()).isEqualTo(p.config().rmsNormEps());
        int[] tokens = back.encodePrompt("Once upon a time, there was a little girl");
        assertThat(relativeDifference(logits(p.config(), p.weights(), tokens), logits(back.config(), back.weights(), tokens)))
                .isLessThan(TOLERANCE);
        return back;
    }

    @Test
    void perLayerCutOfStories260KRoundTripsThroughGguf() throws Exception {
        LanguageModel m = stories(); // 5 layers, 8 query / 4 KV heads, FFN 172, d 64
        StructuredPlan plan = new PlanBuilder(m.config(), TinyModels.randomScores(m.config(), 3))
                .keepFfnChannels(0, 100).keepKvHeads(1, 2).keepQueryHeadsPerKvHead(2, 1).keepHiddenChannels(56)
                .removeLayer(3).build();
        LanguageModel back = ggufRoundTrip(m, plan);
        assertThat(back.config().feedForwardLength()).containsExactly(104, 172, 172, 172);
        assertThat(back.config().headCount()).containsExactly(8, 4, 4, 8);
        try (GgufFile f = GgufFile.open(dir.resolve("pruned.gguf"))) {
            assertThat(f.getString("general.architecture")).as("llama.cpp's name for per-layer Llama").isEqualTo("deci");
        }
    }

    @Test
    void uniformCutOfStories260KIsAPlainLlamaFile() throws Exception {
        LanguageModel m = stories();
        PlanBuilder b = new PlanBuilder(m.config(), TinyModels.randomScores(m.config(), 4));
        for (int l = 0; l < m.config().blockCount(); l++) b.keepFfnChannels(l, 136).keepKvHeads(l, 3);
        ggufRoundTrip(m, b.build());
        try (GgufFile f = GgufFile.open(dir.resolve("pruned.gguf"))) {
            assertThat(f.getString("general.architecture")).isEqualTo("llama");
            assertThat(f.getInt("llama.feed_forward_length")).isEqualTo(136);
            assertThat(f.getInt("llama.attention.head_count_kv")).isEqualTo(3);
        }
    }

    /**
     * Gemma's embedding scale is recomputed from the width by every loader (ours, llama.cpp, transformers): the
     * exported hidden cut reloads with √d' and still computes the masked original's logits.
     */
    @Test
    void hiddenCutOfAGemmaModelSurvivesGgufAndHf() throws Exception {
        ModelConfig c = TinyModels.gemmaAsGgufReadsIt();
        ModelWeights w = TinyModels.weights(c, 8);
        StructuredPlan plan = new PlanBuilder(c, TinyModels.randomScores(c, 5)).round(1).keepHiddenChannels(27)
                .keepFfnChannels(0, 33).build();
        ModelWeights masked = TinyModels.copy(w);
        StructuredMask.apply(c, masked, plan);
        float[] expected = logits(c, masked, TOKENS);
        PrunedModel p = StructuredSurgery.apply(c, w, plan);

        Path gguf = dir.resolve("gemma.gguf");
        GgufExporter.write(gguf, p.config(), p.weights(), Map.of(), GgmlType.F32);
        try (GgufFile f = GgufFile.open(gguf)) {
            GgufModelLoader l = new GgufModelLoader(f);
            assertThat(l.config().embeddingScale()).isEqualTo((float) Math.sqrt(27));
            assertThat(relativeDifference(expected, logits(l.config(), l.loadWeights(), TOKENS))).isLessThan(TOLERANCE);
        }
        Path hf = dir.resolve("hf");
        HfExporter.write(hf, Architecture.GEMMA3, p.config(), p.weights(), SafetensorsDtype.F32, Long.MAX_VALUE, Map.of());
        try (HfModelLoader l = new HfModelLoader(hf)) {
            assertThat(relativeDifference(expected, logits(l.config(), l.loadWeights(), TOKENS))).isLessThan(TOLERANCE);
        }
    }
}
