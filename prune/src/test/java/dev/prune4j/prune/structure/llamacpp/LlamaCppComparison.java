package dev.prune4j.prune.structure.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.export.GgufExporter;
import dev.prune4j.model.forward.Transformer;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.prune.structure.StructureScores;
import dev.prune4j.prune.structure.StructuredPlan;
import dev.prune4j.prune.structure.surgery.PrunedModel;
import dev.prune4j.prune.structure.surgery.StructuredSurgery;
import dev.prune4j.tensor.GgmlType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Cuts a model, exports it to GGUF F32 and holds prune4j's perplexity of it to llama.cpp's. */
final class LlamaCppComparison {
    static final int WINDOW = 512;
    /** The bound on |PPL prune4j / PPL llama.cpp − 1|. */
    static final double BOUND = 0.005;

    private LlamaCppComparison() {}

    /**
     * Squared L2 norms: of each FFN channel's down_proj column, of each KV group's o_proj columns, and of each hidden
     * channel's embedding column.
     */
    static StructureScores magnitudes(ModelConfig c, ModelWeights w) {
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
        float[] hidden = new float[d];
        float[] e = w.tokenEmbd();
        for (int i = 0; i < e.length; i++) hidden[i % d] += e[i] * e[i];
        return new StructureScores("l2-test", q, kv, ffn, hidden, null);
    }

    private static float[] columnNorms(float[] w, int rows, int cols) {
        float[] s = new float[cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) s[c] += w[r * cols + c] * w[r * cols + c];
        return s;
    }

    /**
     * Exports the cut to {@code out/name.gguf}, evaluates both sides on the first {@code count} tokens (windows of
     * {@link #WINDOW}), checks the bound and returns a summary line (also written to {@code out/name.summary.txt}).
     */
    static String compare(LanguageModel model, int[] tokens, Path out, String name, StructuredPlan plan, int count,
                          String expectedArchitecture) throws Exception {
        return compare(model, StructuredSurgery.apply(model.config(), model.weights(), plan), tokens, out, name, count,
                expectedArchitecture);
    }

    /** As {@link #compare(LanguageModel, int[], Path, String, StructuredPlan, int, String)} for a model already cut. */
    static String compare(LanguageModel model, PrunedModel p, int[] tokens, Path out, String name, int count,
                          String expectedArchitecture) throws Exception {
        Path file = out.resolve(name + ".gguf");
        GgufExporter.write(file, p.config(), p.weights(), model.metadata(), GgmlType.F32);
        int[] kept = Arrays.copyOf(tokens, count);
        int bos = model.tokenizer().addBos() ? model.tokenizer().bos() : -1;
        double[] ours = WindowPerplexity.evaluate(new Transformer(p.config(), p.weights()), kept, WINDOW, bos);
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
}
