package dev.prune4j.cli;

import dev.prune4j.eval.Sha256;
import dev.prune4j.eval.bench.PeakMemory;
import dev.prune4j.eval.ppl.PerplexityEvaluator;
import dev.prune4j.eval.ppl.PerplexityProtocol;
import dev.prune4j.eval.ppl.PerplexityResult;
import dev.prune4j.model.Assets;
import dev.prune4j.model.AtomicFiles;
import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.export.GgufExporter;
import dev.prune4j.model.export.HfExporter;
import dev.prune4j.model.safetensors.SafetensorsDtype;
import dev.prune4j.prune.pipeline.PostTrainingPruning;
import dev.prune4j.prune.recipe.PruneRecipe;
import dev.prune4j.prune.recipe.RecipeFiles;
import dev.prune4j.prune.report.LayerSummary;
import dev.prune4j.prune.report.PruneReport;
import dev.prune4j.prune.report.ReportWriter;
import dev.prune4j.tensor.GgmlType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
 * {@code prune4j prune MODEL}: post-training sparsity (magnitude, Wanda, SparseGPT, APT), evaluated before and after,
 * written with its report into one folder that appears only when the run has succeeded.
 */
@Command(name = "prune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Prune a model's decoder linears without retraining, layer by layer on calibration text, then",
                "evaluate perplexity before and after and write the model, report.md, report.json, layers.png,",
                "recipe.yaml and run.jsonl into --out. Flags override the fields of a --recipe file.",
                "Example: prune4j prune smollm2 --method apt --pattern 2:4"})
final class PruneCommand implements Callable<Integer> {
    @Mixin ModelOptions model;

    @Option(names = "--method", paramLabel = "NAME",
            description = "magnitude | wanda | sparsegpt | apt (default: apt).")
    String method;

    @Option(names = "--sparsity", paramLabel = "S", description = "Unstructured: fraction of zeros in [0, 1), e.g. 0.5.")
    Double sparsity;

    @Option(names = "--pattern", paramLabel = "N:M",
            description = "Semi-structured: N zeros in every M consecutive inputs of each row, e.g. 2:4 (default when no --sparsity).")
    String pattern;

    @Option(names = "--allocation", paramLabel = "uniform|owl|FILE",
            description = "Per-layer sparsity: uniform (default), owl (outlier-weighted, OWL), or a YAML/JSON list with one sparsity per layer.")
    String allocation;

    @Option(names = "--owl-m", paramLabel = "M", description = "OWL outlier threshold: scores above M times the mean (default: 5).")
    Double owlM;

    @Option(names = "--owl-lambda", paramLabel = "L", description = "OWL range: layer sparsities within target ± L (default: 0.08).")
    Double owlLambda;

    @Option(names = "--calib", paramLabel = "FILE", description = "Calibration text: a path or a fetched split (default: sotu:calibration).")
    String calib;

    @Option(names = "--nsamples", paramLabel = "N", description = "Calibration sequences (default: 128).")
    Integer nsamples;

    @Option(names = "--seqlen", paramLabel = "T", description = "Tokens per calibration sequence (default: 512).")
    Integer seqlen;

    @Option(names = "--seed", paramLabel = "SEED", description = "Seed of the calibration sampling (default: 0).")
    Long seed;

    @Option(names = "--targets", paramLabel = "REGEX",
            description = "Linears to prune, matched against HF names (model.layers.3.mlp.down_proj) or GGUF names (blk.3.ffn_down) (default: .* = all).")
    String targets;

    @Option(names = "--block-size", paramLabel = "B", description = "SparseGPT/APT: columns per block (default: 128).")
    Integer blockSize;

    @Option(names = "--damping", paramLabel = "D", description = "SparseGPT/APT: diagonal damping relative to mean(diag H) (default: 0.01).")
    Double damping;

    @Option(names = "--pattern-rule", paramLabel = "joint|single",
            description = "APT: choose N:M zeros by the joint loss of all C(M,N) patterns, or by single-weight OBS scores (default: joint).")
    String patternRule;

    @Option(names = "--compensation", paramLabel = "row|block",
            description = "APT: re-solve every row with its whole mask (row, slower), or compensate block by block (block) (default: block).")
    String compensation;

    @Option(names = "--recipe", paramLabel = "FILE", description = "A YAML or JSON recipe with the same fields (see docs/recipes.md).")
    Path recipeFile;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: out/<model>-<method>-<target>). Must not exist unless --overwrite.")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing --out folder (only once the new run has succeeded).")
    boolean overwrite;

    @Option(names = "--format", defaultValue = "gguf", paramLabel = "gguf|safetensors",
            description = "Model format: gguf (one file) or safetensors (HF folder; needs an HF source with tokenizer.json) (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--dtype", defaultValue = "f32", paramLabel = "f32|f16", description = "Stored precision; zeros stay exact (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--eval-text", defaultValue = "sotu:validation", paramLabel = "FILE",
            description = "Perplexity text before and after (default: ${DEFAULT-VALUE}).")
    String evalText;

    @Option(names = "--eval-window", defaultValue = "512", description = "Perplexity window (default: ${DEFAULT-VALUE}).")
    int evalWindow;

    @Option(names = "--eval-max-tokens", defaultValue = "16384", description = "Tokens of --eval-text to score; 0 = all (default: ${DEFAULT-VALUE}).")
    int evalMaxTokens;

    @Option(names = "--no-eval", description = "Skip the perplexity evaluation.")
    boolean noEval;

    @Option(names = "--no-eval-before", description = "Score only the pruned model, not the dense one (for sweeps "
            + "that prune one model many times; the report then has no 'before').")
    boolean noEvalBefore;

    @Option(names = "--no-save", description = "Do not write the model (report only).")
    boolean noSave;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report JSON here.")
    Path json;

    @Override
    public Integer call() throws Exception {
        PruneRecipe recipe = recipe();
        recipe.validate();
        Path target = outputFolder(recipe);
        if (Files.exists(target) && !overwrite) {
            throw new IllegalArgumentException("--out " + target + " exists; pass --overwrite to replace it");
        }
        if (!format.equals("gguf") && !format.equals("safetensors")) {
            throw new IllegalArgumentException("--format must be gguf or safetensors, not " + format);
        }
        GgmlType type = switch (dtype.toLowerCase(Locale.ROOT)) {
            case "f32" -> GgmlType.F32;
            case "f16" -> GgmlType.F16;
            default -> throw new IllegalArgumentException("--dtype must be f32 or f16, not " + dtype);
        };
        Path calibText = Assets.resolveText(recipe.calibration().text());
        if (!Files.isRegularFile(calibText)) throw new NoSuchFileException(calibText.toString(), null, "calibration text not found");
        Path evalPath = noEval ? null : Assets.resolveText(evalText);
        if (evalPath != null && !Files.isRegularFile(evalPath)) throw new NoSuchFileException(evalPath.toString(), null, "evaluation text not found");
        List<Double> layerList = isFile(recipe.allocation()) ? RecipeFiles.readLayerList(Path.of(recipe.allocation()))
                : recipe.layerSparsity();

        PeakMemory peakMemory = new PeakMemory();
        peakMemory.reset();
        String started = Instant.now().toString();
        LanguageModel m = model.load();
        if (format.equals("safetensors") && !Files.isDirectory(m.source())) {
            throw new IllegalArgumentException("--format safetensors needs a Hugging Face model folder as input (for tokenizer.json); "
                    + m.source() + " is a GGUF file: use --format gguf");
        }
        PostTrainingPruning job = new PostTrainingPruning(m, recipe, layerList);
        Path tmp = AtomicFiles.newTempDirectory(target);
        try (RunLog log = new RunLog(tmp.resolve("run.jsonl"))) {
            log.event("start", Map.of("model", m.source().toString(), "recipe", recipe, "prune4j_version", Version.get()));
            Map<String, Double> timings = new LinkedHashMap<>();
            List<String> warnings = new ArrayList<>();

            int bos = m.tokenizer().addBos() ? m.tokenizer().bos() : -1;
            PerplexityProtocol protocol = new PerplexityProtocol(evalWindow, evalMaxTokens, bos);
            int[] evalTokens = evalPath == null ? null : m.tokenizer().encode(Files.readString(evalPath));
            Map<String, Object> ppl = null;
            if (evalTokens != null) {
                ppl = new LinkedHashMap<>();
                ppl.put("text", evalPath.toString());
                ppl.put("protocol", protocol.describe());
                if (!noEvalBefore) {
                    ppl.put("before", perplexity(m, evalTokens, protocol, "ppl before", log, timings, "eval_before"));
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

            if (evalTokens != null) ppl.put("after", perplexity(m, evalTokens, protocol, "ppl after", log, timings, "eval_after"));

            Map<String, Object> output = null;
            if (!noSave) {
                long s0 = System.nanoTime();
                output = save(m, tmp, type);
                output.put("path", target.resolve((String) output.remove("file")).toString());
                timings.put("save", (System.nanoTime() - s0) / 1e9);
            }
            PeakMemory.Reading mem = peakMemory.read();
            Map<String, Long> memory = new LinkedHashMap<>();
            memory.put("heap_peak", mem.heapBytes());
            memory.put("live_heap_at_end", mem.liveHeapBytes());
            memory.put("resident_peak", mem.rssBytes());

            Map<String, Object> calibration = new LinkedHashMap<>();
            calibration.put("text", calibText.toString());
            calibration.put("text_tokens", calibTokens.length);
            calibration.put("samples", outcome.samples());
            calibration.put("seqlen", outcome.seqlen());
            calibration.put("seed", recipe.calibration().seed());
            calibration.put("bos", bos);
            PruneReport report = new PruneReport(Version.get(), started, modelInfo(m), recipe, calibration, ppl, output,
                    LayerSummary.of(outcome.linears(), outcome.plan(), outcome.owl(), m.config().blockCount()),
                    outcome.linears(), timings, memory, warnings);
            ReportWriter.write(tmp, report);
            log.event("done", Map.of("timings", timings, "memory", memory));
            log.close();
            if (Files.exists(target)) AtomicFiles.deleteRecursively(target);
            Files.move(tmp, target);
            JsonOutput.write(json, report);
            printSummary(report, target);
        } finally {
            AtomicFiles.deleteRecursively(tmp);
        }
        return 0;
    }

    private PruneRecipe recipe() throws IOException {
        PruneRecipe flags = new PruneRecipe(method, sparsity, pattern, allocation, null,
                owlM == null && owlLambda == null ? null : new PruneRecipe.Owl(owlM, owlLambda),
                calib == null && nsamples == null && seqlen == null && seed == null ? null
                        : new PruneRecipe.Calibration(calib, nsamples, seqlen, seed),
                targets,
                blockSize == null && damping == null && patternRule == null && compensation == null ? null
                        : new PruneRecipe.Solver(blockSize, damping, patternRule, compensation));
        PruneRecipe base = recipeFile != null ? RecipeFiles.read(recipeFile) : new PruneRecipe(null, null, null, null, null, null, null, null, null);
        return base.overriddenBy(flags).withDefaults();
    }

    private Path outputFolder(PruneRecipe r) {
        if (out != null) return out;
        String name = Path.of(model.model).getFileName().toString().replaceAll("\\.gguf$", "");
        String tgt = r.pattern() != null ? r.pattern().replace(":", "of") : String.format(Locale.ROOT, "%.0f", r.sparsity() * 100)
                + ("owl".equals(r.allocation()) ? "-owl" : "");
        return Path.of("out", name + "-" + r.method() + "-" + tgt);
    }

    private static boolean isFile(String allocation) {
        return allocation != null && !allocation.equals("uniform") && !allocation.equals("owl") && !allocation.equals("list");
    }

    private static Map<String, Object> perplexity(LanguageModel m, int[] tokens, PerplexityProtocol protocol, String task,
                                                  RunLog log, Map<String, Double> timings, String key) throws IOException {
        int kept = protocol.maxTokens() > 0 ? Math.min(protocol.maxTokens(), tokens.length) : tokens.length;
        PerplexityResult r;
        try (ProgressBars bar = new ProgressBars(task, (kept + protocol.window() - 1) / protocol.window(), "windows")) {
            r = new PerplexityEvaluator(m.transformer()).evaluate(tokens, protocol, bar);
        }
        timings.put(key, r.seconds());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("perplexity", r.perplexity());
        out.put("mean_nll", r.meanNll());
        out.put("scored_tokens", r.scoredTokens());
        out.put("windows", r.windows());
        log.event(key, out);
        System.err.printf("%s: %.4f over %d tokens%n", task, r.perplexity(), r.scoredTokens());
        return out;
    }

    private Map<String, Object> save(LanguageModel m, Path dir, GgmlType type) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("format", format);
        out.put("dtype", type.name());
        if (format.equals("gguf")) {
            if (!m.metadata().containsKey("tokenizer.ggml.model")) {
                throw new IllegalArgumentException(m.source() + " has no GGUF vocabulary; use --format safetensors");
            }
            Path file = dir.resolve("model.gguf");
            GgufExporter.write(file, m.config(), m.weights(), m.metadata(), type);
            out.put("file", "model.gguf");
            out.put("bytes", Files.size(file));
        } else {
            Map<String, byte[]> extra = new LinkedHashMap<>();
            for (String f : List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json")) {
                Path p = m.source().resolve(f);
                if (Files.isRegularFile(p)) extra.put(f, Files.readAllBytes(p));
            }
            Path folder = dir.resolve("model");
            HfExporter.write(folder, m.architecture(), m.config(), m.weights(),
                    type == GgmlType.F16 ? SafetensorsDtype.F16 : SafetensorsDtype.F32, 2L << 30, extra);
            long bytes;
            try (var files = Files.walk(folder)) {
                bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            }
            out.put("file", "model");
            out.put("bytes", bytes);
        }
        return out;
    }

    private static Map<String, Object> modelInfo(LanguageModel m) throws IOException {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", m.name());
        info.put("source", m.source().toString());
        info.put("sha256", Sha256.of(m.source()));
        info.put("architecture", m.architecture().ggufName);
        info.put("parameters", m.weights().parameterCount());
        info.put("source_bytes", m.sourceBytes());
        return info;
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
