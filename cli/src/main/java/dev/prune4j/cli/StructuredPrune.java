package dev.prune4j.cli;

import dev.prune4j.eval.Sha256;
import dev.prune4j.eval.bench.PeakMemory;
import dev.prune4j.eval.bench.SpeedBenchmark;
import dev.prune4j.eval.bench.SpeedRow;
import dev.prune4j.eval.bench.SpeedSettings;
import dev.prune4j.eval.ppl.PerplexityProtocol;
import dev.prune4j.eval.report.ComparisonRunner;
import dev.prune4j.model.AtomicFiles;
import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.Linear;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.prune.pipeline.StructuredPruning;
import dev.prune4j.prune.recipe.RecipeFiles;
import dev.prune4j.prune.recipe.StructuredRecipe;
import dev.prune4j.prune.report.StructuredLayers;
import dev.prune4j.prune.report.StructuredReport;
import dev.prune4j.prune.report.StructuredReportWriter;
import dev.prune4j.prune.structure.allocation.AllocationResult;
import dev.prune4j.prune.structure.score.ScoreSource;
import dev.prune4j.tensor.GgmlType;
import dev.prune4j.tensor.Parallel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The structured branch of {@code prune4j prune}: resolves the recipe (file, flags, allocation list, defaults), checks
 * everything before any work, measures the dense model, runs {@link StructuredPruning}, measures the pruned model, and
 * writes it with report.md/json, widths.png, recipe.yaml and run.jsonl into a folder that appears only on success.
 */
final class StructuredPrune {
    /**
     * The speed check: a short prompt and a few greedy steps at batch 1, the median of 3 runs after the bench's 2
     * warm-ups (the perplexity pass warms the prefill kernels, not the single-token decode path).
     */
    static final SpeedSettings SPEED = new SpeedSettings(new int[] {128}, 32, SpeedSettings.DEFAULT_WARMUPS, 3);

    private final ModelOptions model;
    private final PruneOptions common;
    private final StructuredOptions options;

    StructuredPrune(ModelOptions model, PruneOptions common, StructuredOptions options) {
        this.model = model;
        this.common = common;
        this.options = options;
    }

    Integer call() throws Exception {
        StructuredRecipe recipe = recipe();
        recipe.validate();
        if (options.saveScores != null && recipe.scores() != null) {
            throw new IllegalArgumentException("--save-scores with --scores: the scores are already in " + recipe.scores());
        }
        Path target = outputFolder(recipe);
        GgmlType type = PruneOutputs.checkOutput(common, target);
        Path calibText = recipe.calibration() == null ? null : PruneOutputs.text(recipe.calibration().text(), "calibration text");
        boolean speed = !options.noSpeed;
        Path evalPath = common.noEval && !speed ? null : PruneOutputs.text(common.evalText, "evaluation text");

        PeakMemory peakMemory = new PeakMemory();
        peakMemory.reset();
        String started = Instant.now().toString();
        LanguageModel dense = model.load();
        if (!common.noSave) PruneOutputs.checkSource(dense, common.format);
        String sha = Sha256.of(dense.source());
        StructuredPruning job = new StructuredPruning(dense, sha, recipe);
        Path tmp = AtomicFiles.newTempDirectory(target);
        try (RunLog log = new RunLog(tmp.resolve("run.jsonl"))) {
            log.event("start", Map.of("model", dense.source().toString(), "sha256", sha, "recipe", recipe,
                    "prune4j_version", Version.get()));
            Map<String, Double> timings = new LinkedHashMap<>();
            List<String> warnings = new ArrayList<>();
            String text = evalPath == null ? null : Files.readString(evalPath);
            int bos = dense.tokenizer().addBos() ? dense.tokenizer().bos() : -1;
            PerplexityProtocol protocol = new PerplexityProtocol(common.evalWindow, common.evalMaxTokens, bos);
            int[] evalTokens = common.noEval ? null : dense.tokenizer().encode(text);
            Map<String, Object> ppl = null, speedRows = null;
            if (evalTokens != null) {
                ppl = new LinkedHashMap<>();
                ppl.put("text", evalPath.toString());
                ppl.put("protocol", protocol.describe());
            }
            if (speed) {
                speedRows = new LinkedHashMap<>();
                speedRows.put("settings", SPEED.describe() + "; the prompt is the first tokens of " + evalPath);
                speedRows.put("threads", Parallel.threads());
            }
            if (!common.noEvalBefore) measure(dense, "before", evalTokens, protocol, text, ppl, speedRows, log, timings);

            int[] calibTokens = null;
            if (calibText != null) {
                long t0 = System.nanoTime();
                calibTokens = dense.tokenizer().encode(Files.readString(calibText));
                timings.put("tokenize_calibration", (System.nanoTime() - t0) / 1e9);
            }
            StructuredPruning.Outcome outcome;
            try (ScoreBars bars = new ScoreBars(log)) {
                outcome = job.run(calibTokens, options.saveScores, bars);
            }
            timings.putAll(outcome.timings());
            AllocationResult cut = outcome.allocation();
            Map<String, Object> allocation = allocation(cut);
            log.event("allocation", allocation);
            LanguageModel pruned = new LanguageModel(dense.source(), dense.architecture(), outcome.pruned().config(),
                    outcome.pruned().weights(), dense.tokenizer(), dense.metadata(), dense.storedTypes(), dense.sourceBytes());
            if (pruned.weights().parameterCount() != outcome.parameters()) {
                throw new IllegalStateException("the pruned model has " + pruned.weights().parameterCount()
                        + " parameters, its plan says " + outcome.parameters());
            }
            measure(pruned, "after", evalTokens, protocol, text, ppl, speedRows, log, timings);

            Map<String, Object> output = null;
            if (!common.noSave) {
                long s0 = System.nanoTime();
                output = PruneOutputs.save(pruned, tmp, common.format, type);
                output.put("path", target.resolve((String) output.remove("file")).toString());
                timings.put("save", (System.nanoTime() - s0) / 1e9);
                log.event("save", output);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("parameters", beforeAfter(dense.weights().parameterCount(), pruned.weights().parameterCount()));
            Map<String, Object> weightBytes = beforeAfter(weightBytes(dense.weights(), type), weightBytes(pruned.weights(), type));
            weightBytes.put("dtype", type.name());
            result.put("weight_bytes", weightBytes);
            Map<String, Object> file = beforeAfter(dense.sourceBytes(), output == null ? null : output.get("bytes"));
            file.put("before_storage", dense.storedTypes().keySet().toString());
            file.put("after_storage", output == null ? null : common.format + " " + type.name());
            result.put("file_bytes", file);
            if (ppl != null) result.put("perplexity", ppl);
            if (speedRows != null) result.put("speed", speedRows);

            Map<String, Object> modelInfo = PruneOutputs.modelInfo(dense, sha);
            modelInfo.put("storage", dense.storedTypes().toString());
            StructuredReport report = new StructuredReport(Version.get(), started, modelInfo, recipe, scores(outcome),
                    calibration(outcome, calibText, calibTokens, bos, recipe), allocation, result, output,
                    StructuredLayers.of(dense.config(), cut.plan()), timings, PruneOutputs.memory(peakMemory.read()), warnings);
            StructuredReportWriter.write(tmp, report);
            log.event("done", Map.of("timings", timings, "memory", report.memory()));
            log.close();
            PruneOutputs.publish(tmp, target);
            JsonOutput.write(common.json, report);
            printSummary(report, target);
        } finally {
            AtomicFiles.deleteRecursively(tmp);
        }
        return 0;
    }

    private StructuredRecipe recipe() throws IOException {
        StructuredRecipe base = common.recipeFile != null ? RecipeFiles.readStructured(common.recipeFile) : StructuredRecipe.empty();
        StructuredRecipe r = base.overriddenBy(options.recipe(common));
        if (StructuredRecipe.isListFile(r.allocation())) r = r.withLayerRatios(RecipeFiles.readLayerList(Path.of(r.allocation())));
        return r.withDefaults();
    }

    /** Perplexity and speed of one model, under "before" or "after". */
    private static void measure(LanguageModel m, String when, int[] evalTokens, PerplexityProtocol protocol, String text,
                                Map<String, Object> ppl, Map<String, Object> speed, RunLog log, Map<String, Double> timings)
            throws IOException {
        if (evalTokens != null) {
            ppl.put(when, PruneOutputs.perplexity(m, evalTokens, protocol, "ppl " + when, log, timings, "eval_" + when));
        }
        if (speed == null) return;
        int[] prompt = ComparisonRunner.promptTokens(m, text, SPEED.promptLengths()[0]);
        long t0 = System.nanoTime();
        List<SpeedRow> rows;
        try (ProgressBars bar = new ProgressBars("speed " + when, SPEED.warmups() + SPEED.repetitions(), "runs")) {
            rows = new SpeedBenchmark(m.transformer()).run(prompt, SPEED, bar);
        }
        timings.put("speed_" + when, (System.nanoTime() - t0) / 1e9);
        SpeedRow r = rows.getFirst();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("prompt_tokens", r.promptTokens());
        row.put("prefill_tokens_per_second", r.prefillTokensPerSecond());
        row.put("time_to_first_token_ms", r.timeToFirstTokenMs());
        row.put("decode_tokens", r.decodeTokens());
        row.put("decode_tokens_per_second", r.decodeTokensPerSecond());
        speed.put(when, row);
        log.event("speed_" + when, row);
    }

    private Path outputFolder(StructuredRecipe r) {
        if (common.out != null) return common.out;
        String name = Path.of(model.model).getFileName().toString().replaceAll("\\.gguf$", "");
        String target = r.ratio() != null ? String.format(Locale.ROOT, "%.0f", r.ratio() * 100)
                : r.depthLayers() != null ? r.depthLayers() + "layers" : "layers";
        return Path.of("out", name + "-" + r.method() + "-" + target + "-" + r.allocation());
    }

    private static Map<String, Object> allocation(AllocationResult a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("strategy", a.strategy());
        m.put("target_ratio", a.targetRatio());
        m.put("achieved_ratio", a.achievedRatio());
        m.put("counted", a.counted());
        m.put("removed", a.removed());
        m.put("rounding_unit", a.roundingUnit());
        m.put("kept_layers", a.plan().keptLayerCount());
        return m;
    }

    private Map<String, Object> scores(StructuredPruning.Outcome o) {
        ScoreSource s = o.scores().source();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", s.method());
        m.put("options", s.options());
        if (o.scoresFile() != null) {
            m.put("loaded_from", o.scoresFile().toString());
            m.put("scored_on", s.model() + " (sha256 " + s.modelSha256() + ")");
            ScoreSource.Calibration c = s.calibration();
            m.put("calibration", c == null ? "none" : String.format(Locale.ROOT, "%s, %d sequences of %d tokens, seed %d",
                    c.text(), c.samples(), c.seqlen(), c.seed()));
        } else {
            m.put("computed", o.samples() > 0 ? "on " + o.samples() + " calibration sequences" : "from the weights alone");
            if (options.saveScores != null) m.put("saved_to", options.saveScores.toString());
        }
        return m;
    }

    private static Map<String, Object> calibration(StructuredPruning.Outcome o, Path text, int[] tokens, int bos, StructuredRecipe r) {
        if (o.samples() == 0) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", text.toString());
        m.put("text_tokens", tokens.length);
        m.put("samples", o.samples());
        m.put("seqlen", r.calibration().seqlen());
        m.put("seed", r.calibration().seed());
        m.put("bos", bos);
        return m;
    }

    private static Map<String, Object> beforeAfter(Object before, Object after) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("before", before);
        m.put("after", after);
        return m;
    }

    /**
     * Bytes of the tensor data a GGUF file at {@code type} holds: matrices (embedding, block linears, an untied
     * lm_head) at {@code type}, norm gains and biases at F32 (metadata and vocabulary not included).
     */
    static long weightBytes(ModelWeights w, GgmlType type) {
        long matrices = w.tokenEmbd().length + (w.tied() ? 0 : (long) w.output().weight().length), vectors = w.outputNorm().length;
        for (BlockWeights b : w.blocks()) {
            for (Linear l : new Linear[] {b.attnQ(), b.attnK(), b.attnV(), b.attnOutput(), b.ffnGate(), b.ffnUp(), b.ffnDown()}) {
                matrices += l.weight().length;
                if (l.bias() != null) vectors += l.bias().length;
            }
            for (float[] g : new float[][] {b.attnNorm(), b.attnQNorm(), b.attnKNorm(), b.attnPostNorm(), b.ffnNorm(), b.ffnPostNorm()}) {
                if (g != null) vectors += g.length;
            }
        }
        return matrices * (type == GgmlType.F16 ? 2 : 4) + vectors * 4;
    }

    private static void printSummary(StructuredReport r, Path target) {
        Map<String, Object> res = r.result();
        Map<?, ?> params = (Map<?, ?>) res.get("parameters");
        System.out.printf(Locale.ROOT, "parameters %,d -> %,d; %.2f%% of the block linears removed (target %.2f%%, %s)%n",
                ((Number) params.get("before")).longValue(), ((Number) params.get("after")).longValue(),
                100 * ((Number) r.allocation().get("achieved_ratio")).doubleValue(),
                100 * ((Number) r.allocation().get("target_ratio")).doubleValue(), r.allocation().get("strategy"));
        if (res.get("perplexity") instanceof Map<?, ?> ppl) {
            String before = ppl.get("before") instanceof Map<?, ?> b
                    ? String.format(Locale.ROOT, "%.4f -> ", ((Number) b.get("perplexity")).doubleValue()) : "";
            System.out.printf(Locale.ROOT, "perplexity %s%.4f (%s)%n", before,
                    ((Number) ((Map<?, ?>) ppl.get("after")).get("perplexity")).doubleValue(), ppl.get("protocol"));
        }
        if (res.get("speed") instanceof Map<?, ?> speed) {
            Map<?, ?> b = (Map<?, ?>) speed.get("before"), a = (Map<?, ?>) speed.get("after");
            System.out.printf(Locale.ROOT, "prefill tokens/s %s%.1f, decode tokens/s %s%.1f (%s threads)%n",
                    b == null ? "" : String.format(Locale.ROOT, "%.1f -> ", ((Number) b.get("prefill_tokens_per_second")).doubleValue()),
                    ((Number) a.get("prefill_tokens_per_second")).doubleValue(),
                    b == null ? "" : String.format(Locale.ROOT, "%.1f -> ", ((Number) b.get("decode_tokens_per_second")).doubleValue()),
                    ((Number) a.get("decode_tokens_per_second")).doubleValue(), speed.get("threads"));
        }
        System.out.println("report " + target.resolve("report.md"));
    }
}
