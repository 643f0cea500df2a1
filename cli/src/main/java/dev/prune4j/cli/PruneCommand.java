package dev.prune4j.cli;

import dev.prune4j.eval.bench.PeakMemory;
import dev.prune4j.eval.ppl.PerplexityProtocol;
import dev.prune4j.model.AtomicFiles;
import dev.prune4j.model.LanguageModel;
import dev.prune4j.prune.pipeline.PostTrainingPruning;
import dev.prune4j.prune.recipe.PruneRecipe;
import dev.prune4j.prune.recipe.RecipeFiles;
import dev.prune4j.prune.recipe.StructuredRecipe;
import dev.prune4j.prune.report.LayerSummary;
import dev.prune4j.prune.report.PruneReport;
import dev.prune4j.prune.report.ReportWriter;
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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code prune4j prune MODEL}: post-training sparsity (magnitude, Wanda, SparseGPT, APT) here, structured pruning
 * (l2, wanda-sp, flap, llm-pruner, depth, random) in {@link StructuredPrune}; evaluated before and after, written with its
 * report into one folder that appears only when the run has succeeded.
 */
@Command(name = "prune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Prune a model; write it with report.md, report.json, a PNG, recipe.yaml and",
                "run.jsonl into --out, with perplexity before and after. Flags beat --recipe.",
                "Post-training sparsity zeroes weights of the decoder linears, layer by layer on",
                "calibration text. Structured methods remove attention heads, FFN channels or",
                "whole layers: a smaller dense model, whose size and speed are measured too.",
                "Examples: prune4j prune smollm2 --method apt --pattern 2:4",
                "  prune4j prune smollm2 --method flap --ratio 0.2 --bias-compensation"})
final class PruneCommand implements Callable<Integer> {
    @Mixin ModelOptions model;
    @Mixin PruneOptions common;
    @Mixin StructuredOptions structured;

    @Option(names = "--sparsity", paramLabel = "S", description = "Post-training, unstructured: fraction of zeros in [0, 1), e.g. 0.5.")
    Double sparsity;

    @Option(names = "--pattern", paramLabel = "N:M",
            description = "Post-training, semi-structured: N zeros in every M consecutive inputs of each row, e.g. 2:4 (default when no --sparsity).")
    String pattern;

    @Option(names = "--owl-m", paramLabel = "M", description = "OWL outlier threshold: scores above M times the mean (default: 5).")
    Double owlM;

    @Option(names = "--owl-lambda", paramLabel = "L", description = "OWL range: layer sparsities within target ± L (default: 0.08).")
    Double owlLambda;

    @Option(names = "--targets", paramLabel = "REGEX",
            description = "Post-training: linears to prune, matched against HF names (model.layers.3.mlp.down_proj) or GGUF names (blk.3.ffn_down) (default: .* = all).")
    String targets;

    @Option(names = "--block-size", paramLabel = "B", description = "SparseGPT/APT: columns per block (default: 128).")
    Integer blockSize;

    @Option(names = "--damping", paramLabel = "D", description = "SparseGPT/APT: diagonal damping relative to mean(diag H) (default: 0.01).")
    Double damping;

    @Option(names = "--pattern-rule", paramLabel = "joint|single",
            description = "APT: choose N:M zeros by the joint loss of all C(M,N) patterns, or by single-weight OBS scores (default: joint).")
    String patternRule;

    @Option(names = "--compensation", paramLabel = "row|block|auto",
            description = "APT: re-solve every row with its whole mask (row: the least-squares optimum, cost ~ rows·q³ for q"
                    + " zeros per row), compensate block by block (block), or row wherever that costs under 2.5e11 flops"
                    + " per linear, else block (auto) (default: auto).")
    String compensation;

    @Override
    public Integer call() throws Exception {
        String method = common.effectiveMethod();
        if (StructuredRecipe.isStructured(method)) {
            refuseSparsityFlags(method);
            return new StructuredPrune(model, common, structured).call();
        }
        structured.refuseWith(method);
        PruneRecipe recipe = recipe();
        recipe.validate();
        Path target = outputFolder(recipe);
        GgmlType type = PruneOutputs.checkOutput(common, target);
        Path calibText = PruneOutputs.text(recipe.calibration().text(), "calibration text");
        Path evalPath = common.noEval ? null : PruneOutputs.text(common.evalText, "evaluation text");
        List<Double> layerList = isFile(recipe.allocation()) ? RecipeFiles.readLayerList(Path.of(recipe.allocation()))
                : recipe.layerSparsity();

        PeakMemory peakMemory = new PeakMemory();
        peakMemory.reset();
        String started = Instant.now().toString();
        LanguageModel m = model.load();
        if (!common.noSave) PruneOutputs.checkSource(m, common.format);
        PostTrainingPruning job = new PostTrainingPruning(m, recipe, layerList);
        Path tmp = AtomicFiles.newTempDirectory(target);
        try (RunLog log = new RunLog(tmp.resolve("run.jsonl"))) {
            log.event("start", Map.of("model", m.source().toString(), "recipe", recipe, "prune4j_version", Version.get()));
            Map<String, Double> timings = new LinkedHashMap<>();
            List<String> warnings = new ArrayList<>();

            int bos = m.tokenizer().addBos() ? m.tokenizer().bos() : -1;
            PerplexityProtocol protocol = new PerplexityProtocol(common.evalWindow, common.evalMaxTokens, bos);
            int[] evalTokens = evalPath == null ? null : m.tokenizer().encode(Files.readString(evalPath));
            Map<String, Object> ppl = null;
            if (evalTokens != null) {
                ppl = new LinkedHashMap<>();
                ppl.put("text", evalPath.toString());
                ppl.put("protocol", protocol.describe());
                if (!common.noEvalBefore) {
                    ppl.put("before", PruneOutputs.perplexity(m, evalTokens, protocol, "ppl before", log, timings, "eval_before"));
                }
            }

            long t0 = System.nanoTime();
            int[] calibTokens = m.tokenizer().encode(Files.readString(calibText));
            timings.put("tokenize_calibration", (System.nanoTime() - t0) / 1e9);
            PostTrainingPruning.Outcome outcome;
            try (PruneProgress progress = new PruneProgress(log, warnings)) {
                outcome = job.run(calibTokens, progress);
            }
            timings.put("owl_statistics", outcome.owlSeconds());
            timings.put("prune", outcome.pruneSeconds());

            if (evalTokens != null) {
                ppl.put("after", PruneOutputs.perplexity(m, evalTokens, protocol, "ppl after", log, timings, "eval_after"));
            }

            Map<String, Object> output = null;
            if (!common.noSave) {
                long s0 = System.nanoTime();
                output = PruneOutputs.save(m, tmp, common.format, type);
                output.put("path", target.resolve((String) output.remove("file")).toString());
                timings.put("save", (System.nanoTime() - s0) / 1e9);
            }
            Map<String, Long> memory = PruneOutputs.memory(peakMemory.read());

            Map<String, Object> calibration = new LinkedHashMap<>();
            calibration.put("text", calibText.toString());
            calibration.put("text_tokens", calibTokens.length);
            calibration.put("samples", outcome.samples());
            calibration.put("seqlen", outcome.seqlen());
            calibration.put("seed", recipe.calibration().seed());
            calibration.put("bos", bos);
            PruneReport report = new PruneReport(Version.get(), started, PruneOutputs.modelInfo(m), recipe, calibration, ppl,
                    output, LayerSummary.of(outcome.linears(), outcome.plan(), outcome.owl(), m.config().blockCount()),
                    outcome.linears(), timings, memory, warnings);
            ReportWriter.write(tmp, report);
            log.event("done", Map.of("timings", timings, "memory", memory));
            log.close();
            PruneOutputs.publish(tmp, target);
            JsonOutput.write(common.json, report);
            printSummary(report, target);
        } finally {
            AtomicFiles.deleteRecursively(tmp);
        }
        return 0;
    }

    private PruneRecipe recipe() throws IOException {
        PruneRecipe flags = new PruneRecipe(common.method, sparsity, pattern, common.allocation, null,
                owlM == null && owlLambda == null ? null : new PruneRecipe.Owl(owlM, owlLambda),
                common.calibration(), targets,
                blockSize == null && damping == null && patternRule == null && compensation == null ? null
                        : new PruneRecipe.Solver(blockSize, damping, patternRule, compensation));
        PruneRecipe base = common.recipeFile != null ? RecipeFiles.read(common.recipeFile)
                : new PruneRecipe(null, null, null, null, null, null, null, null, null);
        return base.overriddenBy(flags).withDefaults();
    }

    /** The post-training flags make no sense for a structured method: say so rather than ignore them. */
    private void refuseSparsityFlags(String method) {
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("--sparsity", sparsity);
        given.put("--pattern", pattern);
        given.put("--owl-m", owlM);
        given.put("--owl-lambda", owlLambda);
        given.put("--targets", targets);
        given.put("--block-size", blockSize);
        given.put("--damping", damping);
        given.put("--pattern-rule", patternRule);
        given.put("--compensation", compensation);
        given.forEach((flag, value) -> {
            if (value != null) {
                throw new IllegalArgumentException(flag + " applies to post-training sparsity (magnitude, wanda, sparsegpt, apt), "
                        + "not to the structured method " + method + (flag.equals("--sparsity") ? "; use --ratio" : ""));
            }
        });
    }

    private Path outputFolder(PruneRecipe r) {
        if (common.out != null) return common.out;
        String name = Path.of(model.model).getFileName().toString().replaceAll("\\.gguf$", "");
        String tgt = r.pattern() != null ? r.pattern().replace(":", "of") : String.format(Locale.ROOT, "%.0f", r.sparsity() * 100)
                + ("owl".equals(r.allocation()) ? "-owl" : "");
        return Path.of("out", name + "-" + r.method() + "-" + tgt);
    }

    private static boolean isFile(String allocation) {
        return allocation != null && !allocation.equals("uniform") && !allocation.equals("owl") && !allocation.equals("list");
    }

    private static void printSummary(PruneReport r, Path target) {
        Map<String, Object> ppl = r.perplexity();
        if (ppl != null) {
            String before = ppl.get("before") instanceof Map<?, ?> b
                    ? String.format(Locale.ROOT, "%.4f -> ", ((Number) b.get("perplexity")).doubleValue()) : "";
            System.out.printf(Locale.ROOT, "perplexity %s%.4f (%s)%n", before,
                    ((Number) ((Map<?, ?>) ppl.get("after")).get("perplexity")).doubleValue(), ppl.get("protocol"));
        }
        System.out.printf(Locale.ROOT, "pruned %d linears in %.1f s; report %s%n", r.linears().size(), r.timings().get("prune"),
                target.resolve("report.md"));
    }
}
