package dev.prune4j.eval.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

/** The comparison report's markdown, JSON and charts hold the numbers they were given. */
class ReportWriterTest {
    @TempDir Path dir;

    @Test
    void markdownStatesTheProtocolAndTabulatesEveryModel() {
        ComparisonReport r = ReportFixtures.report();
        String md = MarkdownReport.render(r, List.of("accuracy.png"));
        assertThat(md).contains("- **prune4j**: 0.1.0-test", "- **perplexity**: sotu:test, windows of 512",
                "- **zero-shot**: loglikelihood, 400 examples, seed 0", "- **speed**: prompts of [128, 512]");
        assertThat(md).contains("| 2 | `mag70` | `abababababababab…` | 540.0 MB | [F32] | 134,515,008 | 70.00% | 70.00% | no |");
        // cloze acc_norm of the dense model: 300/400 = 0.75, stderr sqrt(.75*.25/399) = 0.0217, Wilson: centre 0.7476, half-width 0.0423, so [0.705, 0.790]
        assertThat(md).contains("| `dense` | 0.0% | 36.000 | 0.700 ± 0.023 [0.653, 0.743] | 0.750 ± 0.022 [0.705, 0.790] |");
        assertThat(md).contains("| chance | | | 0.250 | 0.250 | 0.250 | 0.250 |");
        assertThat(md).contains("| `mag50` | 540.0 MB | 395.0 | 324 | 24.0 | 355.5 | 1440 | 19.2 | 600 MB | 900 MB | 1500 MB |");
        assertThat(md).contains("![accuracy.png](accuracy.png)");
        assertThat(md).contains("- `mag70`: `" + "ab".repeat(32) + "`");
    }

    @Test
    void chartsCarryTheTableValuesInOrderOfParametersRemoved() {
        ComparisonReport r = ReportFixtures.report();
        XYChart acc = ReportCharts.accuracy(r).orElseThrow();
        var clozeNorm = acc.getSeriesMap().get("sotu-cloze acc_norm");
        assertThat(clozeNorm.getXData()).containsExactly(0, 50, 70);
        assertThat(clozeNorm.getYData()).containsExactly(0.75, 0.6, 0.275);
        assertThat(acc.getSeriesMap()).containsKeys("sotu-cloze acc", "sotu-next-sentence acc", "sotu-next-sentence acc_norm", "chance (0.25)");
        XYChart ppl = ReportCharts.perplexity(r, "sotu:test").orElseThrow();
        assertThat(ppl.getSeriesMap().get("perplexity, sotu:test").getYData()).containsExactly(new double[] {36, 80, 5000}, within(1e-9));
        XYChart speed = ReportCharts.speed(r).orElseThrow();
        assertThat(speed.getSeriesMap().get("decode after 128 tokens").getYData()).containsExactly(25.0, 26.0, 24.0);
        assertThat(speed.getSeriesMap().get("prefill of 512 tokens").getXData()).containsExactly(540.0, 540.0, 540.0);
    }

    @Test
    void writesMarkdownJsonAndPngsThatDecode() throws Exception {
        List<Path> files = ReportWriter.write(ReportFixtures.report(), dir, "sotu:test");
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("report.md", "report.json", "accuracy.png", "perplexity.png", "speed.png");
        for (String png : List.of("accuracy.png", "perplexity.png", "speed.png")) {
            BufferedImage img = ImageIO.read(dir.resolve(png).toFile());
            assertThat(img.getWidth()).isEqualTo(ReportCharts.WIDTH);
            assertThat(img.getHeight()).isEqualTo(ReportCharts.HEIGHT);
        }
        JsonNode json = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        assertThat(json.at("/protocol/prune4j").asText()).isEqualTo("0.1.0-test");
        JsonNode mag50 = json.at("/models/2");
        assertThat(mag50.get("sha256").asText()).hasSize(64);
        assertThat(mag50.get("linear_removed_vs_reference").asDouble()).isEqualTo(0.5);
        assertThat(mag50.at("/perplexity/perplexity").asDouble()).isCloseTo(80.0, within(1e-9));
        assertThat(mag50.at("/zero_shot/0/acc_norm").asDouble()).isEqualTo(0.6);
        assertThat(mag50.at("/zero_shot/0/acc_norm_ci95/0").asDouble()).isBetween(0.5, 0.6);
        assertThat(mag50.at("/speed/1/prompt_tokens").asInt()).isEqualTo(512);
        assertThat(mag50.at("/memory/peak_rss_since").asText()).isEqualTo("reset before loading");
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()).filter(n -> n.startsWith("."))).as("no temp files left").isEmpty();
    }
}
