package dev.prune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench} end to end on stories260K with short prompts. */
class BenchCommandTest {
    @TempDir Path dir;

    @Test
    void reportsOneRowPerPromptLengthWithMemoryAndSize() throws Exception {
        Path model = EvalZeroShotCommandTest.stories();
        Path text = Files.writeString(dir.resolve("t.txt"), "Once upon a time, there was a little girl named Lily. ".repeat(20));
        Path j = dir.resolve("b.json");
        CliRunner.Run r = CliRunner.run("bench", model.toString(), "--prompt-lengths", "16,48", "--decode-tokens", "4",
                "--repetitions", "2", "--text", text.toString(), "--json", j.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).contains("prompt  prefill tok/s  TTFT ms  decode tok/s", "live heap", "peak heap");
        JsonNode n = CliRunner.json(j);
        assertThat(n.at("/model/file_bytes").asLong()).isEqualTo(Files.size(model));
        assertThat(n.at("/model/sha256").asText()).isEqualTo(EvalZeroShotCommandTest.STORIES_SHA256);
        assertThat(n.at("/speed/0/prompt_tokens").asInt()).isEqualTo(16);
        assertThat(n.at("/speed/1/prompt_tokens").asInt()).isEqualTo(48);
        assertThat(n.at("/speed/1/decode_tokens").asInt()).isEqualTo(4);
        assertThat(n.at("/speed/1/decode_tokens_per_second").asDouble()).isPositive();
        assertThat(n.at("/memory/peak_heap_bytes").asLong()).isPositive();
        // stories260K's weights are about 1 MB; the live heap holds them and little else of this command
        assertThat(n.at("/memory/live_heap_bytes").asLong()).isPositive().isLessThanOrEqualTo(n.at("/memory/peak_heap_bytes").asLong());
        assertThat(n.get("protocol").asText()).contains("prompts of [16, 48] tokens", "2 warm-up + 2 timed runs");
    }

    @Test
    void aTextTooShortForThePromptIsAClearError() throws Exception {
        Path model = EvalZeroShotCommandTest.stories();
        Path text = Files.writeString(dir.resolve("short.txt"), "Hi.");
        CliRunner.Run r = CliRunner.run("bench", model.toString(), "--prompt-lengths", "64", "--text", text.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("the longest prompt needs 64");
    }
}
