package dev.prune4j.eval.zeroshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSONL reader: field aliases, every answer form, and errors that name the line. */
class JsonlTasksTest {
    @TempDir Path dir;

    @Test
    void readsTheThreeFixturesWithTheirAliasesAndAnswerForms() throws Exception {
        Task names = JsonlTasks.read(LoglikelihoodScorerTest.resource("tiny-names.jsonl"));
        assertThat(names.name()).isEqualTo("tiny-names");
        assertThat(names.examples()).hasSize(5);
        assertThat(names.examples().get(3)).isEqualTo(new Example("Lily and Ben played with the", List.of("car", "ball", "and", "very"), 1));
        assertThat(names.source()).contains("tiny-names.jsonl").containsPattern("sha256 [0-9a-f]{64}");
        assertThat(names.chance()).isEqualTo(0.25);

        Task styles = JsonlTasks.read(LoglikelihoodScorerTest.resource("tiny-styles.jsonl"));
        // label "A", the blank line skipped, label by choice text, numeric string, integer
        assertThat(styles.examples()).extracting(Example::gold).containsExactly(0, 0, 0, 0);
        assertThat(styles.examples().get(1).context()).isEmpty();
        assertThat(styles.examples().get(0).context()).isEqualTo("The dog wagged its ");
        // 3, 2, 3, 3 choices
        assertThat(styles.chance()).isCloseTo((1 / 3.0 * 3 + 0.5) / 4, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(styles.limit(2).examples()).hasSize(2);
    }

    @Test
    void badLinesAreNamedByFileAndLine() throws Exception {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, "{\"context\": \"a\", \"choices\": [\"x\", \"y\"], \"gold\": 0}\n{\"context\": \"b\", \"choices\": [\"x\", \"y\"]}\n");
        assertThatThrownBy(() -> JsonlTasks.read(f)).hasMessageContaining("bad.jsonl:2").hasMessageContaining("missing field gold / label / answer");
        Files.writeString(f, "{\"context\": \"a\", \"choices\": [\"x\", \"y\"], \"gold\": 2}\n");
        assertThatThrownBy(() -> JsonlTasks.read(f)).hasMessageContaining("bad.jsonl:1").hasMessageContaining("gold index 2 outside the 2 choices");
        Files.writeString(f, "{\"context\": \"a\", \"choices\": [\"x\", \"y\"], \"answer\": \"maybe\"}\n");
        assertThatThrownBy(() -> JsonlTasks.read(f)).hasMessageContaining("neither an index, a choice's text nor an option letter");
        Files.writeString(f, "not json\n");
        assertThatThrownBy(() -> JsonlTasks.read(f)).hasMessageContaining("bad.jsonl:1: not valid JSON");
        Files.writeString(f, "{\"context\": \"a\", \"choices\": [\"x\", \"\"], \"gold\": 0}\n");
        assertThatThrownBy(() -> JsonlTasks.read(f)).hasMessageContaining("a choice is empty");
        assertThatThrownBy(() -> JsonlTasks.read(dir.resolve("none.jsonl"))).hasMessageContaining("none.jsonl");
    }
}
