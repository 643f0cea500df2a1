package dev.prune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prune4j.model.Assets;
import dev.prune4j.model.gguf.GgufFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verbs end to end on stories260K: exit codes, printed results and the JSON they write. */
class CliTest {
    private static Path model;
    @TempDir Path dir;

    @BeforeAll
    static void findModel() {
        model = Assets.stories260K().orElse(null);
    }

    private static void needModel() {
        assumeTrue(model != null, "../shared/models/stories260K-f32.gguf is absent (not a developer or CI machine)");
    }

    private static Object[] run(String... args) {
        CliRunner.Run r = CliRunner.run(args);
        return new Object[] {r.code(), r.out(), r.err()};
    }

    private static JsonNode json(Path p) throws Exception {
        return new ObjectMapper().readTree(p.toFile());
    }

    @Test
    void infoReportsTheConfig() throws Exception {
        needModel();
        Path j = dir.resolve("info.json");
        Object[] r = run("info", model.toString(), "--json", j.toString());
        assertThat(r[0]).isEqualTo(0);
        JsonNode n = json(j);
        assertThat(n.get("architecture").asText()).isEqualTo("llama");
        assertThat(n.get("blocks").asInt()).isEqualTo(5);
        assertThat(n.get("embedding_length").asInt()).isEqualTo(64);
        assertThat(n.get("head_count").asInt()).isEqualTo(8);
        assertThat(n.get("head_count_kv").asInt()).isEqualTo(4);
        assertThat(n.get("vocab_size").asInt()).isEqualTo(512);
        // 512*64 embedding + 512*64 output + 64 norm + 5 blocks of (q 64*64, k/v 2*32*64, o 64*64, ffn 3*172*64, 2 norms 64)
        assertThat(n.get("parameters").asLong()).isEqualTo(512 * 64 * 2 + 64 + 5L * (64 * 64 * 2 + 32 * 64 * 2 + 3 * 172 * 64 + 2 * 64));
    }

    @Test
    void generateIsGreedyAndReproducible() throws Exception {
        needModel();
        Path j1 = dir.resolve("g1.json"), j2 = dir.resolve("g2.json");
        assertThat(run("generate", model.toString(), "--prompt", "Once upon a time", "--max-tokens", "24", "--json", j1.toString())[0]).isEqualTo(0);
        assertThat(run("generate", model.toString(), "--prompt", "Once upon a time", "--max-tokens", "24", "--json", j2.toString())[0]).isEqualTo(0);
        JsonNode a = json(j1), b = json(j2);
        assertThat(a.get("output_tokens")).isEqualTo(b.get("output_tokens"));
        assertThat(a.get("output_tokens").size()).isBetween(1, 24);
        assertThat(a.get("prompt_tokens").get(0).asInt()).as("stories260K adds BOS").isEqualTo(1);
        assertThat(a.get("output").asText()).isNotBlank();
    }

    @Test
    void pplOnAShortStoryIsFinite() throws Exception {
        needModel();
        Path text = dir.resolve("story.txt");
        Files.writeString(text, "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. "
                + "One day, she saw a big red ball. She wanted to play with it. Lily was very happy.");
        Path j = dir.resolve("ppl.json");
        Object[] r = run("eval", "ppl", model.toString(), "--text", text.toString(), "--window", "16", "--json", j.toString());
        assertThat(r[0]).isEqualTo(0);
        JsonNode n = json(j);
        assertThat(n.get("windows").asInt()).isEqualTo((n.get("text_tokens").asInt() + 15) / 16);
        assertThat(n.get("scored_tokens").asInt()).as("BOS model: every token scored").isEqualTo(n.get("text_tokens").asInt());
        // a TinyStories model on TinyStories-like text: far better than uniform over 512 tokens
        assertThat(n.get("perplexity").asDouble()).isBetween(1.5, 30.0);
    }

    @Test
    void convertToF16KeepsTheModelWorking() throws Exception {
        needModel();
        Path out = dir.resolve("m.gguf");
        assertThat(run("convert", model.toString(), "--out", out.toString(), "--dtype", "f16")[0]).isEqualTo(0);
        try (GgufFile f = GgufFile.open(out)) {
            assertThat(f.tensor("blk.0.attn_q.weight").type().name()).isEqualTo("F16");
            assertThat(f.tensor("blk.0.attn_norm.weight").type().name()).isEqualTo("F32");
            assertThat(f.getInt("general.file_type")).isEqualTo(1);
        }
        Path j = dir.resolve("i.json");
        assertThat(run("info", out.toString(), "--json", j.toString())[0]).isEqualTo(0);
        assertThat(json(j).get("parameters").asLong()).isEqualTo(json(writeInfo(model)).get("parameters").asLong());
    }

    private Path writeInfo(Path m) {
        Path j = dir.resolve("orig.json");
        run("info", m.toString(), "--json", j.toString());
        return j;
    }

    @Test
    void badInputGivesAClearErrorAndExitCode() throws Exception {
        Object[] r = run("info", dir.resolve("missing.gguf").toString());
        assertThat(r[0]).isEqualTo(1);
        assertThat((String) r[2]).contains("file not found").contains("missing.gguf");
        Path junk = dir.resolve("junk.gguf");
        Files.writeString(junk, "this is not a model file at all");
        r = run("info", junk.toString());
        assertThat(r[0]).isEqualTo(1);
        assertThat((String) r[2]).contains("junk.gguf").contains("not a GGUF file");
        needModel();
        r = run("convert", model.toString(), "--out", dir.resolve("x.gguf").toString(), "--dtype", "q3");
        assertThat(r[0]).isEqualTo(1);
        assertThat((String) r[2]).contains("--dtype must be f32, f16 or bf16");
    }

    @Test
    void everyVerbHasHelp() {
        for (String[] verb : new String[][] {{"info"}, {"generate"}, {"eval", "ppl"}, {"convert"}}) {
            String[] args = java.util.Arrays.copyOf(verb, verb.length + 1);
            args[verb.length] = "--help";
            Object[] r = run(args);
            assertThat(r[0]).isEqualTo(0);
            assertThat((String) r[1]).contains("Usage: prune4j " + String.join(" ", verb));
        }
    }
}
