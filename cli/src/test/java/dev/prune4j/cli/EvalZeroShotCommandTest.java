package dev.prune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prune4j.model.Assets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eval zeroshot} end to end on stories260K with a hand-made JSONL task. */
class EvalZeroShotCommandTest {
    /** The eval module's fixture tiny-names.jsonl; its independent reference gives acc 3/5 and acc_norm 4/5 on stories260K. */
    static final String NAMES = """
            {"query": "Once upon a time, there was a little girl named", "choices": ["Lily", "Tom", "sky", "jump"], "gold": 0}
            {"query": "One day, Tom went to the park with his", "choices": ["mom", "sky", "blue", "sad"], "gold": 0}
            {"query": "She was very", "choices": ["happy", "table", "under", "jumped"], "gold": 0}
            {"query": "Lily and Ben played with the", "choices": ["car", "ball", "and", "very"], "gold": 1}
            {"query": "The cat sat on the", "choices": ["mat", "sun", "because", "ran"], "gold": 0}
            """;
    static final String STORIES_SHA256 = "3c4a7c3a8313e00ae6a6b64df717828f4ba18391ea31ffb01abe9a2c4f7bb9a9";

    @TempDir Path dir;

    static Path stories() {
        Path p = Assets.stories260K().orElse(null);
        assumeTrue(p != null, "../shared/models/stories260K-f32.gguf is absent (not a developer or CI machine)");
        return p;
    }

    @Test
    void logLikelihoodModeReportsBothAccuraciesWithUncertaintyAndTheProtocol() throws Exception {
        Path model = stories();
        Path task = Files.writeString(dir.resolve("tiny-names.jsonl"), NAMES);
        Path j = dir.resolve("zs.json");
        CliRunner.Run r = CliRunner.run("eval", "zeroshot", model.toString(), "--tasks", task.toString(), "--json", j.toString(), "--per-example");
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).contains("tiny-names", "n=5", "acc 0.6000 ± 0.2449 (95% CI", "acc_norm 0.8000 ± 0.2000", "chance 0.250");
        JsonNode n = CliRunner.json(j);
        assertThat(n.at("/model/sha256").asText()).isEqualTo(STORIES_SHA256);
        assertThat(n.get("protocol").asText()).contains("log-likelihood", "acc_norm", "BOS", "Wilson", "the first 500 examples");
        JsonNode t = n.at("/tasks/0");
        assertThat(t.get("acc_correct").asInt()).isEqualTo(3);
        assertThat(t.get("acc_norm_correct").asInt()).isEqualTo(4);
        assertThat(t.get("acc_stderr").asDouble()).isEqualTo(Math.sqrt(0.6 * 0.4 / 4));
        assertThat(t.get("acc_ci95").size()).isEqualTo(2);
        assertThat(t.at("/per_example/3/loglikelihoods").size()).isEqualTo(4);
        assertThat(t.at("/per_example/3/gold").asInt()).isEqualTo(1);
    }

    @Test
    void generativeModeParsesLettersAndHasNoAccNorm() throws Exception {
        Path model = stories();
        Path task = Files.writeString(dir.resolve("tiny-names.jsonl"), NAMES);
        Path j = dir.resolve("gen.json");
        CliRunner.Run r = CliRunner.run("eval", "zeroshot", model.toString(), "--tasks", task.toString(), "--mode", "generative",
                "--max-new-tokens", "4", "--json", j.toString(), "--per-example");
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        JsonNode t = CliRunner.json(j).at("/tasks/0");
        assertThat(t.get("mode").asText()).isEqualTo("generative");
        assertThat(t.has("acc_norm")).isFalse();
        assertThat(t.get("unanswered").asInt()).isBetween(0, 5);
        assertThat(t.at("/per_example/0").has("response")).isTrue();
        assertThat(CliRunner.json(j).get("protocol").asText()).contains("generative", "template plain", "first option letter");
    }

    @Test
    void unknownTasksAndModesAreClearErrors() {
        Path model = stories();
        CliRunner.Run r = CliRunner.run("eval", "zeroshot", model.toString(), "--tasks", "piqa");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("unknown task piqa");
        r = CliRunner.run("eval", "zeroshot", model.toString(), "--tasks", dir.resolve("x.jsonl").toString(), "--mode", "vibes");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("--mode must be loglikelihood or generative");
    }

    @Test
    void newVerbsHaveHelp() {
        for (String[] verb : new String[][] {{"eval", "zeroshot"}, {"bench"}, {"compare"}}) {
            String[] args = java.util.Arrays.copyOf(verb, verb.length + 1);
            args[verb.length] = "--help";
            CliRunner.Run r = CliRunner.run(args);
            assertThat(r.code()).isEqualTo(0);
            assertThat(r.out()).contains("Usage: prune4j " + String.join(" ", verb));
        }
    }
}
