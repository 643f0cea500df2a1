package dev.prune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prune4j.model.Assets;
import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.weights.BlockWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code prune4j prune} end to end on stories260K: recipe + flags, the output folder, and failures that leave nothing. */
class PruneCommandTest {
    private static Path model;
    @TempDir Path dir;

    @BeforeAll
    static void findModel() {
        model = Assets.stories260K().orElse(null);
    }

    private static Object[] run(String... args) {
        CliRunner.Run r = CliRunner.run(args);
        return new Object[] {r.code(), r.out(), r.err()};
    }

    private Path text() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            sb.append("Once upon a time there was a little girl named Lily. She liked to play in the park with her dog. ");
            sb.append("One day the sun was hot and the dog ran to the big tree. Tim said hello and they were happy. ");
        }
        Path p = dir.resolve("text.txt");
        Files.writeString(p, sb.toString());
        return p;
    }

    @Test
    void recipeAndFlagsProduceAPrunedModelAndItsReport() throws Exception {
        assumeTrue(model != null, "../shared/models/stories260K-f32.gguf is absent (not a developer or CI machine)");
        Path text = text();
        Path recipe = dir.resolve("recipe.yaml");
        Files.writeString(recipe, """
                method: sparsegpt
                sparsity: 0.5
                calibration:
                  text: %s
                  samples: 4
                  seqlen: 64
                  seed: 3
                targets: "mlp|attn"
                """.formatted(text));
        Path out = dir.resolve("pruned");
        Object[] r = run("prune", model.toString(), "--recipe", recipe.toString(), "--method", "apt",
                "--eval-text", text.toString(), "--eval-window", "64", "--eval-max-tokens", "256", "--out", out.toString());
        assertThat(r[0]).as("stderr: %s", r[2]).isEqualTo(0);
        assertThat(out.resolve("report.md")).exists();
        assertThat(out.resolve("run.jsonl")).exists();
        assertThat(Files.readAllBytes(out.resolve("layers.png"))).startsWith(0x89, 'P', 'N', 'G');
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertThat(report.at("/recipe/method").asText()).as("the flag overrides the file").isEqualTo("apt");
        assertThat(report.at("/recipe/sparsity").asDouble()).isEqualTo(0.5);
        assertThat(report.at("/recipe/calibration/samples").asInt()).isEqualTo(4);
        assertThat(report.at("/perplexity/before/perplexity").asDouble()).isGreaterThan(1);
        assertThat(report.at("/perplexity/after/perplexity").asDouble()).isGreaterThan(1);
        assertThat(report.get("linears")).hasSize(5 * 7);
        assertThat(Files.readString(out.resolve("recipe.yaml"))).contains("method: apt");

        LanguageModel pruned = LanguageModel.load(out.resolve("model.gguf"));
        for (BlockWeights b : pruned.weights().blocks()) {
            for (float[] w : new float[][] {b.attnQ().weight(), b.ffnDown().weight()}) {
                long zeros = 0;
                for (float v : w) if (v == 0f) zeros++;
                assertThat(zeros).isEqualTo(Math.round(0.5 * w.length));
            }
        }
        // the run log is one JSON object per line, from start to done
        try (Stream<String> lines = Files.lines(out.resolve("run.jsonl"))) {
            assertThat(lines.map(l -> {
                try {
                    return new ObjectMapper().readTree(l).get("event").asText();
                } catch (Exception e) {
                    throw new AssertionError(l, e);
                }
            }).toList()).startsWith("start", "eval_before").contains("linear", "eval_after").endsWith("done");
        }
    }

    @Test
    void anImpossiblePatternFailsBeforeAnyWorkAndLeavesNothing() throws Exception {
        assumeTrue(model != null, "../shared/models/stories260K-f32.gguf is absent (not a developer or CI machine)");
        Path out = dir.resolve("never");
        Object[] r = run("prune", model.toString(), "--pattern", "4:8", "--calib", text().toString(), "--no-eval",
                "--out", out.toString());
        assertThat(r[0]).isEqualTo(1);
        assertThat((String) r[2]).contains("multiple of 8").contains("down_proj");
        assertThat(out).doesNotExist();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("text.txt");
        }
    }

    @Test
    void rejectsContradictoryTargetsAndExistingOutput() throws Exception {
        assumeTrue(model != null, "../shared/models/stories260K-f32.gguf is absent (not a developer or CI machine)");
        Object[] both = run("prune", model.toString(), "--sparsity", "0.5", "--pattern", "2:4", "--no-eval");
        assertThat(both[0]).isEqualTo(1);
        assertThat((String) both[2]).contains("either a sparsity or an N:M pattern");
        Object[] bad = run("prune", model.toString(), "--sparsity", "1.2", "--no-eval");
        assertThat((String) bad[2]).contains("[0, 1)");
        Files.createDirectories(dir.resolve("exists"));
        Object[] exists = run("prune", model.toString(), "--no-eval", "--out", dir.resolve("exists").toString());
        assertThat((String) exists[2]).contains("--overwrite");
    }

    @Test
    void helpExplainsEveryOption() {
        Object[] r = run("prune", "--help");
        assertThat(r[0]).isEqualTo(0);
        for (String opt : new String[] {"--method", "--sparsity", "--pattern", "--allocation", "--owl-m", "--owl-lambda",
                "--calib", "--nsamples", "--seqlen", "--seed", "--targets", "--recipe", "--out", "--format", "--json",
                "--pattern-rule", "--compensation", "--block-size", "--damping"}) {
            assertThat((String) r[1]).contains(opt);
        }
    }
}
