package dev.prune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prune4j.model.Assets;
import dev.prune4j.model.LanguageModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code prune4j finetune} end to end on stories260K: outputs, exact resume, merged export. */
class FinetuneCommandTest {
    private static final String TEXT = """
            Lily had a little red kite. On a windy day she took it to the hill behind her house. The kite went up and up \
            until it was a small dot in the sky. A bird flew next to it and Lily laughed. Then the wind stopped and the \
            kite came down slowly. It landed in a tree. Lily's dad helped her get it back, and they walked home together. \
            At home, mom made warm soup and Lily told her about the kite, the bird and the tall tree on the hill.""";
    private static Path model;
    @TempDir Path dir;

    @BeforeAll
    static void findModel() {
        model = Assets.stories260K().orElse(null);
    }

    private static int run(String... args) {
        PrintStream out = System.out, err = System.err;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            if (code != 0) out.println(e.toString(StandardCharsets.UTF_8));
            return code;
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private String[] args(Path out, String... extra) throws Exception {
        Path text = dir.resolve("story.txt");
        if (!Files.exists(text)) Files.writeString(text, TEXT);
        List<String> a = new ArrayList<>(List.of("finetune", model.toString(), "--data", text.toString(), "--out", out.toString(),
                "--steps", "6", "--seq-len", "24", "--batch", "2", "--lora-rank", "4", "--lr", "5e-3", "--warmup", "2",
                "--lora-dropout", "0.1", "--seed", "3"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    private static List<Double> losses(Path out) throws Exception {
        JsonNode state = new ObjectMapper().readTree(out.resolve("checkpoint").resolve("state.json").toFile());
        List<Double> l = new ArrayList<>();
        state.get("history").forEach(s -> l.add(s.get("loss").asDouble()));
        return l;
    }

    @Test
    void sixStepsEqualThreeThenResumedThree() throws Exception {
        assumeTrue(model != null, "../shared/models/stories260K-f32.gguf is absent");
        Path straight = dir.resolve("straight"), split = dir.resolve("split");
        assertThat(run(args(straight, "--save-merged", straight.resolve("merged.gguf").toString()))).isEqualTo(0);
        assertThat(run(args(split, "--stop-after", "3"))).isEqualTo(0);
        assertThat(losses(split)).hasSize(3);
        assertThat(run(args(split))).as("a second run without --resume is refused").isEqualTo(1);
        assertThat(run(args(split, "--resume", "--recompute"))).isEqualTo(0);
        assertThat(losses(split)).hasSize(6).containsExactlyElementsOf(losses(straight));

        for (String f : List.of("adapter/adapter_model.safetensors", "adapter/adapter_config.json", "loss.png", "report.md", "run.json")) {
            assertThat(straight.resolve(f)).as(f).exists();
        }
        assertThat(Files.readString(straight.resolve("report.md"))).contains("![training loss](loss.png)").contains("| lora_rank | 4 |");
        JsonNode run = new ObjectMapper().readTree(straight.resolve("run.json").toFile());
        assertThat(run.get("results").get("completed_steps").asInt()).isEqualTo(6);
        assertThat(run.get("results").get("tokens_per_second").asDouble()).isPositive();
        LanguageModel merged = LanguageModel.load(straight.resolve("merged.gguf"));
        assertThat(merged.config().blockCount()).isEqualTo(5);
    }

    /** Instruction JSON lines with a custom template, distilled from a teacher (the same model). */
    @Test
    void instructionDataWithTeacher() throws Exception {
        assumeTrue(model != null, "../shared/models/stories260K-f32.gguf is absent");
        Path data = dir.resolve("chat.jsonl");
        Files.writeString(data, """
                {"instruction": "Who had a kite?", "output": "Lily had a little red kite."}
                {"instruction": "Where did it land?", "output": "It landed in a tree on the hill."}
                {"instruction": "What did mom make?", "input": "At home", "output": "Mom made warm soup."}
                """);
        Path out = dir.resolve("sft");
        assertThat(run("finetune", model.toString(), "--data", data.toString(), "--template", "Q: {instruction} {input}\\nA:",
                "--out", out.toString(), "--steps", "3", "--warmup", "1", "--batch", "2", "--seq-len", "48",
                "--teacher", model.toString(), "--kd-weight", "0.5", "--lora-targets", "q_proj,v_proj")).isEqualTo(0);
        JsonNode run = new ObjectMapper().readTree(out.resolve("run.json").toFile());
        assertThat(run.get("settings").get("examples").asInt()).isEqualTo(3);
        assertThat(run.get("settings").get("adapters").asInt()).isEqualTo(10);
        assertThat(run.get("results").get("completed_steps").asInt()).isEqualTo(3);
        assertThat(run.get("results").get("first_loss").asDouble()).isPositive();
    }
}
