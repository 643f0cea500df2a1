package dev.prune4j.cli;

import dev.prune4j.eval.Sha256;
import dev.prune4j.eval.bench.PeakMemory;
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
        Path evalPath = common.noEval && options.noSpeed ? null : PruneOutputs.text(common.evalText, "evaluation text");

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
            PruneMeasurements measured = new PruneMeasurements(dense, evalPath, !common.noEval, !options.noSpeed, common, log, timings);
            if (!common.noEvalBefore) measured.perplexity(dense, "before");

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
            Map<String, Object> allocation = allocation(outcome.allocation());
            log.event("allocation", allocation);
            LanguageModel pruned = new LanguageModel(dense.source(), dense.architecture(), outcome.pruned().config(),
                    outcome.pruned().weights(), dense.tokenizer(), dense.metadata(), dense.storedTypes(), dense.sourceBytes());
            if (pruned.weights().parameterCount() != outcome.parameters()) {
                throw new IllegalStateException("the pruned model has " + pruned.weights().parameterCount()
                        + " parameters, its plan says " + outcome.parameters());
            }
            measured.perplexity(pruned, "after");
            measured.speed(common.noEvalBefore ? null : dense, pruned);
            List<String> warnings = warnings(pruned, recipe);
            warnings.forEach(w -> {
                System.err.println("warning: " + w);
                log.event("warning", w);
            });

            Map<String, Object> output = null;
            if (!common.noSave) {
                long s0 = System.nanoTime();
                output = PruneOutputs.save(pruned, tmp, common.format, type);
                output.put("path", target.resolve((String) output.remove("file")).toString());
                timings.put("save", (System.nanoTime() - s0) / 1e9);
                log.event("save", output);
            }
            Map<String, Object> modelInfo = PruneOutputs.modelInfo(dense, sha);
            modelInfo.put("storage", dense.storedTypes().toString());
            StructuredReport report = new StructuredReport(Version.get(), started, modelInfo, recipe, scores(outcome),
                    calibration(outcome, calibText, calibTokens, dense, recipe), allocation,
                    result(dense, pruned, output, type, measured), output,
                    StructuredLayers.of(dense.config(), outcome.allocation().plan()), timings,
                    PruneOutputs.memory(peakMemory.read()), warnings);
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

    /** What a user of the written model must know about loading it elsewhere. */
    private List<String> warnings(LanguageModel pruned, StructuredRecipe recipe) {
        List<String> out = new ArrayList<>();
        if (common.noSave) return out;
        boolean perLayer = !pruned.config().isUniform();
        if (perLayer && common.format.equals("gguf")) {
            out.add("the layers have different widths: the GGUF file is written as architecture \"deci\", llama.cpp's "
                    + "Llama block with per-layer head counts and FFN widths (prune4j reads it as Llama)");
        }
        if (perLayer && common.format.equals("safetensors")) {
            out.add("the layers have different widths, written with the prune4j_layer_num_heads, prune4j_layer_num_kv_heads "
                    + "and prune4j_layer_intermediate_size keys of config.json: prune4j loads this model, stock transformers "
                    + "will not (use --allocation uniform for a model every runtime loads)");
        }
        if (recipe.biasCompensation() && common.format.equals("safetensors")) {
            out.add("bias compensation: config.json sets attention_bias and mlp_bias, so the q/k/v and gate/up biases are "
                    + "written as zeros next to the o_proj and down_proj biases");
        }
        return out;
    }

    /** Before and after: parameters, weight bytes at the output dtype, file bytes, perplexity, speed. */
    private Map<String, Object> result(LanguageModel dense, LanguageModel pruned, Map<String, Object> output, GgmlType type,
                                       PruneMeasurements measured) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("parameters", beforeAfter(dense.weights().parameterCount(), pruned.weights().parameterCount()));
        Map<String, Object> weightBytes = beforeAfter(weightBytes(dense.weights(), type), weightBytes(pruned.weights(), type));
        weightBytes.put("dtype", type.name());
        result.put("weight_bytes", weightBytes);
        Map<String, Object> file = beforeAfter(dense.sourceBytes(), output == null ? null : output.get("bytes"));
        file.put("before_storage", dense.storedTypes().keySet().toString());
        file.put("after_storage", output == null ? null : common.format + " " + type.name());
        result.put("file_bytes", file);
        if (measured.perplexity() != null) result.put("perplexity", measured.perplexity());
        if (measured.speed() != null) result.put("speed", measured.speed());
        return result;
    }

    private StructuredRecipe recipe() throws IOException {
        StructuredRecipe base = common.recipeFile != null ? RecipeFiles.readStructured(common.recipeFile) : StructuredRecipe.empty();
        StructuredRecipe r = base.overriddenBy(options.recipe(common));
        if ("owl".equals(r.allocation())) {
            throw new IllegalArgumentException("owl allocates the sparsity of post-training methods; structured allocations are "
                    + String.join(", ", StructuredRecipe.ALLOCATIONS) + " or a per-layer list file");
        }
        if (StructuredRecipe.isListFile(r.allocation())) r = r.withLayerRatios(RecipeFiles.readLayerList(Path.of(r.allocation())));
        return r.withDefaults();
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

    private static Map<String, Object> calibration(StructuredPruning.Outcome o, Path text, int[] tokens, LanguageModel model,
                                                   StructuredRecipe r) {
        if (o.samples() == 0) return null;
        int bos = model.tokenizer().addBos() ? model.tokenizer().bos() : -1;
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
