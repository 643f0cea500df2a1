package dev.prune4j.prune.structure.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prune4j.model.Assets;
import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.export.GgufExporter;
import dev.prune4j.model.forward.Transformer;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.prune.structure.PlanBuilder;
import dev.prune4j.prune.structure.StructureScores;
import dev.prune4j.prune.structure.StructuredPlan;
import dev.prune4j.prune.structure.surgery.PrunedModel;
import dev.prune4j.prune.structure.surgery.StructuredSurgery;
import dev.prune4j.tensor.GgmlType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * SmolLM2-135M cut by surgery and exported to GGUF F32 loads in llama.cpp, whose perplexity equals ours within
 * 0.5%: a uniform cut (a "llama" file) and a per-layer one (a "deci" file). Scores here are simple magnitudes made
 * in the test (L2 of down_proj columns, of o_proj columns per KV group), independent of the scoring package. The
 * files and llama.cpp's reports stay in {@code prune/target/structured-llamacpp/}.
 */
@Tag("assets")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmolLm2StructuredLlamaCppTest {
    private static final int WINDOW = 512;
    private static final double BOUND = 0.005;

    private LanguageModel model;
    private int[] tokens;
    private Path out;

    @BeforeAll
    void load() throws Exception {
        Path m = Assets.model(Assets.SMOLLM2_Q4_1);
        Path text = Assets.data("sotu/test.txt");
        assumeTrue(Files.exists(m) && Files.exists(text), "run scripts/fetch-assets.sh first");
        model = LanguageModel.load(m);
        tokens = model.tokenizer().encode(Files.readString(text));
        out = Assets.projectRoot().resolve("prune/target/structured-llamacpp");
        Files.createDirectories(out);
    }

    /** Squared L2 norms: of each FFN channel's down_proj column, and of each KV group's o_proj columns. */
    private static StructureScores magnitudes(ModelConfig c, ModelWeights w) {
        int layers = c.blockCount(), d = c.embeddingLength(), hd = c.headDim();
        float[][] ffn = new float[layers][], kv = new float[layers][], q = new float[layers][];
        for (int l = 0; l < layers; l++) {
            BlockWeights b = w.blocks()[l];
            ffn[l] = columnNorms(b.ffnDown().weight(), d, c.feedForwardLength(l));
            float[] o = columnNorms(b.attnOutput().weight(), d, c.qDim(l));
            int group = c.headCount(l) / c.headCountKv(l);
            q[l] = new float[c.headCount(l)];
            kv[l] = new float[c.headCountKv(l)];
            for (int i = 0; i < o.length; i++) q[l][i / hd] += o[i];
            for (int h = 0; h < q[l].length; h++) kv[l][h / group] += q[l][h];
        }
        return new StructureScores("l2-test", q, kv, ffn, null, null);
    }

    private static float[] columnNorms(float[] w, int rows, int cols) {
        float[] s = new float[cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) s[c] += w[r * cols + c] * w[r * cols + c];
        return s;
    }

    /** Exports, evaluates both sides on the first {@code count} tokens, checks the bound, returns a summary line. */
    private String compare(String name, StructuredPlan plan, int count, String expectedArchitecture) throws Exception {
        PrunedModel p = StructuredSurgery.apply(model.config(), model.weights(), plan);
        Path file = out.resolve(name + ".gguf");
        GgufExporter.write(file, p.config(), p.weights(), model.metadata(), GgmlType.F32);
        int[] kept = Arrays.copyOf(tokens, count);
        int bos = model.tokenizer().addBos() ? model.tokenizer().bos() : -1;
        double[] ours = WindowPerplexity.evaluate(new Transformer(p.config(), p.weights()),
                kept, WINDOW, bos);
        JsonNode report = LlamaCppPerplexity.run(file, kept, WINDOW, out);
        assertThat(report.at("/model/architecture").asText()).isEqualTo(expectedArchitecture);
        assertThat(report.at("/perplexity/scored").asInt()).as("scored tokens").isEqualTo((int) ours[1]);
        double theirs = report.at("/perplexity/perplexity").asDouble();
        double oursPpl = Math.exp(ours[0]);
        String line = String.format("%s: %d parameters (dense %d), prune4j PPL %.4f, llama.cpp PPL %.4f, ratio %.6f",
                name, p.weights().parameterCount(), model.weights().parameterCount(), oursPpl, theirs, oursPpl / theirs);
        Files.writeString(out.resolve(name + ".summary.txt"), line + "\n");
        System.out.println(line);
        assertThat(Math.abs(oursPpl / theirs - 1)).as(line).isLessThan(BOUND);
        return line;
    }

    @Test
    void uniformCutAgreesWithLlamaCpp() throws Exception {
        ModelConfig c = model.config();
        PlanBuilder b = new PlanBuilder(c, magnitudes(c, model.weights()));
        for (int l = 0; l < c.blockCount(); l++) {
            b.keepFfnChannels(l, (int) Math.round(0.8 * c.feedForwardLength(l))).keepKvHeads(l, c.headCountKv(l) - 1);
        }
        compare("smollm2-uniform", b.build(), 1024, "llama");
    }

    @Test
    void perLayerCutLoadsAndAgreesInLlamaCpp() throws Exception {
        ModelConfig c = model.config(); // 30 layers, 9 query / 3 KV heads, FFN 1536
        PlanBuilder b = new PlanBuilder(c, magnitudes(c, model.weights()));
        for (int l = 0; l < c.blockCount(); l++) {
            b.keepFfnChannels(l, new int[] {1536, 1024, 1280, 768}[l % 4]);
            switch (l % 3) {
                case 1 -> b.keepKvHeads(l, 2);
                case 2 -> b.keepKvHeads(l, 1).keepQueryHeadsPerKvHead(l, 2);
                default -> { }
            }
        }
        compare("smollm2-per-layer", b.build(), 512, "deci");
    }
}
