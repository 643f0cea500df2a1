package dev.prune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prune4j.model.Assets;
import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.forward.ForwardHooks;
import dev.prune4j.model.gguf.GgufFile;
import dev.prune4j.model.forward.Transformer;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.prune.pipeline.StructuredPruning;
import dev.prune4j.prune.recipe.PruneRecipe;
import dev.prune4j.prune.recipe.StructuredRecipe;
import dev.prune4j.prune.structure.CoupledGroups;
import dev.prune4j.prune.structure.score.ScoreProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prune4j prune --method l2|flap|wanda-sp ...} end to end on stories260K: the output folder, a saved model that
 * is exactly the in-memory pruned one, FLAP's bias compensation, score reuse, a recipe with a flag override, and
 * refusals that leave nothing behind.
 */
class StructuredPruneTest {
    private static Path model;
    private static LanguageModel dense;
    @TempDir Path dir;

    @BeforeAll
    static void findModel() throws Exception {
        model = Assets.stories260K().orElse(null);
        assumeTrue(model != null, "../shared/models/stories260K-f32.gguf is absent (not a developer or CI machine)");
        dense = LanguageModel.load(model);
    }

    private Path text() throws Exception {
        Path p = dir.resolve("text.txt");
        if (Files.exists(p)) return p;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            sb.append("Once upon a time there was a little girl named Lily. She liked to play in the park with her dog. ");
            sb.append("One day the sun was hot and the dog ran to the big tree. Tim said hello and they were happy. ");
        }
        Files.writeString(p, sb.toString());
        return p;
    }

    /** Runs {@code prune4j prune} with quick evaluation settings and the test text; returns the run. */
    private CliRunner.Run prune(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("prune", model.toString(), "--eval-text", text().toString(),
                "--eval-window", "64", "--eval-max-tokens", "256"));
        all.addAll(List.of(args));
        return CliRunner.run(all.toArray(String[]::new));
    }

    private static float[] logits(LanguageModel m) {
        int[] tokens = m.encodePrompt("Lily and Tim went to the park to play with the big red ball.");
        Transformer t = m.transformer();
        float[] h = t.forward(tokens, t.newCache(tokens.length), ForwardHooks.NONE);
        float[] out = new float[tokens.length * m.config().vocabSize()];
        t.logits(h, 0, tokens.length, out);
        return out;
    }

    /** The saved model and the job's in-memory result it was checked against. */
    private record Saved(LanguageModel model, StructuredPruning.Outcome outcome) {}

    /** The model the CLI saved must be the one the job makes in memory: same parameters, same logits. */
    private static Saved assertSavedModelIsThePlan(Path out, StructuredRecipe recipe, int[] calibration) throws Exception {
        StructuredPruning.Outcome o = new StructuredPruning(dense, null, recipe).run(calibration, null, ScoreProgress.NONE);
        LanguageModel saved = LanguageModel.load(out.resolve("model.gguf"));
        assertThat(saved.weights().parameterCount()).isEqualTo(o.parameters());
        assertThat(saved.config().feedForwardLength()).isEqualTo(o.pruned().config().feedForwardLength());
        assertThat(saved.config().headCount()).isEqualTo(o.pruned().config().headCount());
        LanguageModel inMemory = new LanguageModel(model, dense.architecture(), o.pruned().config(), o.pruned().weights(),
                dense.tokenizer(), dense.metadata(), dense.storedTypes(), dense.sourceBytes());
        assertThat(logits(saved)).containsExactly(logits(inMemory));
        JsonNode report = CliRunner.json(out.resolve("report.json"));
        assertThat(report.at("/result/parameters/after").asLong()).isEqualTo(o.parameters());
        return new Saved(saved, o);
    }

    @Test
    void l2WritesTheModelAndItsReport() throws Exception {
        Path out = dir.resolve("l2");
        CliRunner.Run r = prune("--method", "l2", "--ratio", "0.2", "--out", out.toString());
        assertThat(r.code()).as("stderr: %s", r.err()).isEqualTo(0);
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("model.gguf", "report.md",
                    "report.json", "recipe.yaml", "run.jsonl", "widths.png");
        }
        assertThat(Files.readAllBytes(out.resolve("widths.png"))).startsWith(0x89, 'P', 'N', 'G');
        StructuredRecipe recipe = new StructuredRecipe("l2", 0.2, null, null, null, null, null, null, null, null, null,
                null, null, null).withDefaults();
        Saved saved = assertSavedModelIsThePlan(out, recipe, null);
        // uniform: 0.2 of 4 KV groups rounds down to none, so the FFN takes the whole 20% of every layer, in
        // multiples of 8 channels
        assertThat(saved.model().config().headCountKv()).containsOnly(4);
        int[] ffn = saved.model().config().feedForwardLength();
        assertThat(ffn).containsOnly(ffn[0]);
        assertThat(ffn[0] % 8).isZero();
        assertThat(ffn[0]).isLessThan(dense.config().feedForwardLength(0));
        assertThat(saved.model().weights().parameterCount())
                .isEqualTo(CoupledGroups.of(dense.config(), dense.weights()).parameterCount(saved.outcome().allocation().plan()));

        JsonNode report = CliRunner.json(out.resolve("report.json"));
        assertThat(report.at("/recipe/method").asText()).isEqualTo("l2");
        assertThat(report.at("/allocation/target_ratio").asDouble()).isEqualTo(0.2);
        assertThat(report.at("/allocation/achieved_ratio").asDouble()).isBetween(0.15, 0.25);
        assertThat(report.at("/result/parameters/before").asLong()).isEqualTo(dense.weights().parameterCount());
        assertThat(report.at("/result/file_bytes/after").asLong()).isEqualTo(Files.size(out.resolve("model.gguf")));
        try (GgufFile f = GgufFile.open(out.resolve("model.gguf"))) {
            long tensorBytes = f.tensors().values().stream().mapToLong(t -> 4 * t.elementCount()).sum(); // all F32
            assertThat(report.at("/result/weight_bytes/after").asLong()).isEqualTo(tensorBytes);
        }
        assertThat(report.at("/result/weight_bytes/before").asLong()).isEqualTo(4 * dense.weights().parameterCount());
        assertThat(report.at("/result/perplexity/before/perplexity").asDouble()).isGreaterThan(1);
        assertThat(report.at("/result/perplexity/after/perplexity").asDouble()).isGreaterThan(1);
        assertThat(report.at("/result/speed/before/decode_tokens_per_second").asDouble()).isPositive();
        assertThat(report.at("/result/speed/after/prefill_tokens_per_second").asDouble()).isPositive();
        assertThat(report.at("/calibration").isNull()).as("l2 reads no data").isTrue();
        assertThat(report.get("layers")).hasSize(5);
        assertThat(report.at("/layers/0/kv_heads").asInt()).isEqualTo(4);
        int width = report.at("/layers/0/ffn").asInt();
        assertThat(Files.readString(out.resolve("report.md"))).contains("| parameters |", "| perplexity |",
                "| prefill tokens/s (128-token prompt) |", "| decode tokens/s |", "Target 20.00%", "| 0 | 8 / 8 | 4 / 4 | " + width + " / 172 |");
        assertThat(events(out)).startsWith("start", "eval_before").containsSubsequence("allocation", "eval_after",
                "speed_before", "speed_after", "save", "done").endsWith("done");
    }

    @Test
    void flapWithBiasCompensationSavesScoresThatReproduceThePlan() throws Exception {
        Path out = dir.resolve("flap"), scores = dir.resolve("flap-scores.json");
        CliRunner.Run r = prune("--method", "flap", "--ratio", "0.3", "--bias-compensation", "--calib", text().toString(),
                "--nsamples", "6", "--seqlen", "48", "--seed", "2", "--save-scores", scores.toString(), "--no-speed",
                "--out", out.toString());
        assertThat(r.code()).as("stderr: %s", r.err()).isEqualTo(0);
        StructuredRecipe recipe = new StructuredRecipe("flap", 0.3, null, null, null, null, null, null, null, null, null,
                true, new PruneRecipe.Calibration(text().toString(), 6, 48, 2L), null).withDefaults();
        LanguageModel saved = assertSavedModelIsThePlan(out, recipe, dense.tokenizer().encode(Files.readString(text()))).model();
        for (BlockWeights b : saved.weights().blocks()) {
            assertThat(b.attnOutput().bias()).as("o_proj bias of every layer").isNotNull();
            assertThat(b.ffnDown().bias()).as("down_proj bias of every layer").isNotNull();
        }
        assertThat(saved.weights().blocks()[0].ffnDown().bias()).as("FFN channels were cut in layer 0").isNotEqualTo(new float[64]);
        JsonNode first = CliRunner.json(out.resolve("report.json"));
        assertThat(first.at("/recipe/bias-compensation").asBoolean()).isTrue();
        assertThat(first.at("/calibration/samples").asInt()).isEqualTo(6);
        assertThat(first.at("/scores/saved_to").asText()).isEqualTo(scores.toString());
        assertThat(first.at("/recipe/allocation").asText()).as("flap's default").isEqualTo("flap");
        assertThat(first.get("warnings").toString()).as("per-layer widths are a deci file").contains("\\\"deci\\\"");

        Path again = dir.resolve("flap-again");
        CliRunner.Run reuse = prune("--method", "flap", "--ratio", "0.3", "--bias-compensation", "--scores", scores.toString(),
                "--no-speed", "--out", again.toString());
        assertThat(reuse.code()).as("stderr: %s", reuse.err()).isEqualTo(0);
        JsonNode second = CliRunner.json(again.resolve("report.json"));
        assertThat(second.at("/calibration").isNull()).as("no calibration read").isTrue();
        assertThat(second.at("/scores/loaded_from").asText()).isEqualTo(scores.toString());
        assertThat(second.get("layers")).isEqualTo(first.get("layers"));
        assertThat(events(again)).noneMatch(e -> e.equals("phase"));
        assertThat(logits(LanguageModel.load(again.resolve("model.gguf")))).containsExactly(logits(saved));
    }

    @Test
    void aRecipeFileWithAFlagOverride() throws Exception {
        Path recipe = dir.resolve("recipe.yaml");
        Files.writeString(recipe, """
                method: wanda-sp
                ratio: 0.3
                attention: query
                protect-first: 1
                calibration:
                  text: %s
                  samples: 4
                  seqlen: 64
                """.formatted(text()));
        Path out = dir.resolve("wanda");
        CliRunner.Run r = prune("--recipe", recipe.toString(), "--ratio", "0.35", "--protect-last", "1", "--no-speed",
                "--no-eval", "--out", out.toString());
        assertThat(r.code()).as("stderr: %s", r.err()).isEqualTo(0);
        JsonNode report = CliRunner.json(out.resolve("report.json"));
        assertThat(report.at("/recipe/method").asText()).as("from the file").isEqualTo("wanda-sp");
        assertThat(report.at("/recipe/ratio").asDouble()).as("the flag overrides the file").isEqualTo(0.35);
        assertThat(report.at("/recipe/attention").asText()).isEqualTo("query");
        assertThat(report.at("/recipe/protect-first").asInt()).isEqualTo(1);
        assertThat(report.at("/recipe/protect-last").asInt()).isEqualTo(1);
        assertThat(report.at("/recipe/calibration/samples").asInt()).isEqualTo(4);
        assertThat(Files.readString(out.resolve("recipe.yaml"))).contains("ratio: 0.35", "attention: query", "protect-last: 1");
        JsonNode layers = report.get("layers");
        assertThat(layers.get(0).get("removed").asDouble()).as("protected").isZero();
        assertThat(layers.get(4).get("removed").asDouble()).as("protected").isZero();
        assertThat(layers.get(2).get("kv_heads").asInt()).as("query heads go, every KV head stays").isEqualTo(4);
        // 0.35 of the model from 3 of 5 layers is 0.58 of each; 0.58 of its 2 query-head units rounds down to 1
        assertThat(layers.get(2).get("query_heads").asInt()).isEqualTo(4);
    }

    @Test
    void anImpossibleRatioFailsBeforeAnyOutputAppears() throws Exception {
        Path out = dir.resolve("never");
        CliRunner.Run r = prune("--method", "l2", "--ratio", "0.95", "--out", out.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("would empty");
        assertThat(out).doesNotExist();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("text.txt");
        }
        CliRunner.Run wrongFlag = prune("--method", "flap", "--ratio", "0.2", "--sparsity", "0.5");
        assertThat(wrongFlag.err()).contains("--sparsity applies to post-training sparsity").contains("--ratio");
        CliRunner.Run wrongMethod = prune("--method", "wanda", "--ratio", "0.2");
        assertThat(wrongMethod.err()).contains("--ratio applies to structured methods");
        CliRunner.Run noBias = prune("--method", "l2", "--ratio", "0.2", "--bias-compensation");
        assertThat(noBias.err()).contains("bias-compensation uses the input means that method flap records");
    }

    @Test
    void helpListsTheStructuredOptions() {
        CliRunner.Run r = CliRunner.run("prune", "--help");
        assertThat(r.code()).isEqualTo(0);
        for (String opt : new String[] {"--ratio", "--allocation", "--attention", "--no-ffn", "--width-multiple",
                "--protect-first", "--protect-last", "--taylor", "--reduction", "--bias-compensation", "--scores",
                "--save-scores", "--no-speed", "--depth-layers", "l2 | wanda-sp |", "llm-pruner | depth"}) {
            assertThat(r.out()).contains(opt);
        }
    }

    private static List<String> events(Path out) throws Exception {
        try (Stream<String> lines = Files.lines(out.resolve("run.jsonl"))) {
            return lines.map(l -> {
                try {
                    return new ObjectMapper().readTree(l).get("event").asText();
                } catch (Exception e) {
                    throw new AssertionError(l, e);
                }
            }).toList();
        }
    }
}
