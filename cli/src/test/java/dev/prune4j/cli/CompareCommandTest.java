package dev.prune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.export.GgufExporter;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.Linear;
import dev.prune4j.tensor.GgmlType;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code compare} on stories260K, its F16 conversion and a half-zeroed copy: one report with all three. */
class CompareCommandTest {
    @TempDir Path dir;

    @Test
    void writesOneReportForAllModels() throws Exception {
        Path dense = EvalZeroShotCommandTest.stories();
        Path f16 = dir.resolve("stories-f16.gguf");
        assertThat(CliRunner.run("convert", dense.toString(), "--out", f16.toString(), "--dtype", "f16").code()).isEqualTo(0);
        Path half = dir.resolve("stories-half.gguf");
        LanguageModel m = LanguageModel.load(dense);
        for (BlockWeights b : m.weights().blocks()) {
            for (Linear l : new Linear[] {b.attnQ(), b.attnK(), b.attnV(), b.attnOutput(), b.ffnGate(), b.ffnUp(), b.ffnDown()}) {
                zeroSmallerHalf(l.weight());
            }
        }
        GgufExporter.write(half, m.config(), m.weights(), m.metadata(), GgmlType.F32);
        Path task = Files.writeString(dir.resolve("tiny-names.jsonl"), EvalZeroShotCommandTest.NAMES);
        Path text = Files.writeString(dir.resolve("story.txt"),
                "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. ".repeat(8));
        Path out = dir.resolve("report");

        CliRunner.Run r = CliRunner.run("compare", dense.toString(), f16.toString(), half.toString(), "--out", out.toString(),
                "--text", text.toString(), "--window", "32", "--max-tokens", "128", "--tasks", task.toString(),
                "--prompt-lengths", "16", "--decode-tokens", "4", "--repetitions", "1");
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).contains("report.md", "report.json", "accuracy.png", "perplexity.png", "speed.png");

        JsonNode json = CliRunner.json(out.resolve("report.json"));
        assertThat(json.at("/protocol/perplexity").asText()).contains("windows of 32 tokens", "first 128 tokens", "sha256");
        assertThat(json.at("/protocol/zero-shot").asText()).contains("\n- tiny-names: 5 examples; ");
        JsonNode models = json.get("models");
        assertThat(models.size()).isEqualTo(3);
        assertThat(models.at("/0/sha256").asText()).isEqualTo(EvalZeroShotCommandTest.STORIES_SHA256);
        assertThat(models.at("/1/file_bytes").asLong()).isLessThan(models.at("/0/file_bytes").asLong());
        assertThat(models.at("/2/linear_removed_vs_reference").asDouble()).isCloseTo(0.5, within(1e-9));
        assertThat(models.at("/1/linear_removed_vs_reference").asDouble()).isCloseTo(0.0, within(1e-3));
        // same weights in F16 barely move perplexity; zeroing half of every linear does
        double p0 = models.at("/0/perplexity/perplexity").asDouble(), p1 = models.at("/1/perplexity/perplexity").asDouble();
        assertThat(p1).isCloseTo(p0, within(0.01 * p0));
        assertThat(models.at("/2/perplexity/perplexity").asDouble()).isGreaterThan(1.2 * p0);
        assertThat(models.at("/0/zero_shot/0/acc_correct").asInt()).isEqualTo(3);
        assertThat(models.at("/0/speed/0/prompt_tokens").asInt()).isEqualTo(16);

        String md = Files.readString(out.resolve("report.md"));
        assertThat(md).contains("## Protocol", "`stories260K-f32`", "`stories-f16`", "`stories-half`", "50.00%", "![accuracy.png](accuracy.png)");
        for (String png : new String[] {"accuracy.png", "perplexity.png", "speed.png"}) {
            BufferedImage img = ImageIO.read(out.resolve(png).toFile());
            assertThat(img).as(png).isNotNull();
            assertThat(img.getWidth()).isGreaterThan(400);
        }
    }

    /** Zeroes exactly half of {@code w}, the smaller magnitudes (ties by position). */
    private static void zeroSmallerHalf(float[] w) {
        Integer[] idx = new Integer[w.length];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> Float.compare(Math.abs(w[a]), Math.abs(w[b])));
        for (int i = 0; i < w.length / 2; i++) w[idx[i]] = 0f;
    }
}
