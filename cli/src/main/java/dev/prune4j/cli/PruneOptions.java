package dev.prune4j.cli;

import dev.prune4j.prune.recipe.PruneRecipe;
import dev.prune4j.prune.recipe.RecipeFiles;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of {@code prune4j prune} that both kinds of pruning share: method, calibration, output and evaluation. */
final class PruneOptions {
    @Option(names = "--method", paramLabel = "NAME", description = {
            "Post-training sparsity: magnitude | wanda | sparsegpt | apt (default: apt).",
            "Structured (a smaller dense model): l2 | wanda-sp | flap | llm-pruner | depth, or random (the control)."})
    String method;

    @Option(names = "--allocation", paramLabel = "NAME|FILE", description = {
            "Sparsity per layer: uniform (default), owl (outlier-weighted, OWL), or a YAML/JSON list of one sparsity per layer.",
            "Structured: uniform (same share of every layer; default except flap/depth), flap (FLAP's global threshold over"
                    + " standardised scores; default for flap), layers (with a list), depth (whole layers; method depth),"
                    + " or a YAML/JSON list of one ratio per layer."})
    String allocation;

    @Option(names = "--calib", paramLabel = "FILE", description = "Calibration text: a path or a fetched split (default: sotu:calibration).")
    String calib;

    @Option(names = "--nsamples", paramLabel = "N", description = "Calibration sequences (default: 128; llm-pruner: 10).")
    Integer nsamples;

    @Option(names = "--seqlen", paramLabel = "T", description = "Tokens per calibration sequence (default: 512; llm-pruner: 64).")
    Integer seqlen;

    @Option(names = "--seed", paramLabel = "SEED", description = "Seed of the calibration sampling (default: 0).")
    Long seed;

    @Option(names = "--recipe", paramLabel = "FILE", description = "A YAML or JSON recipe with the same fields; its method decides which apply (see docs/recipes.md).")
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
            description = "Perplexity text before and after; structured runs also take their speed prompt from it (default: ${DEFAULT-VALUE}).")
    String evalText;

    @Option(names = "--eval-window", defaultValue = "512", description = "Perplexity window (default: ${DEFAULT-VALUE}).")
    int evalWindow;

    @Option(names = "--eval-max-tokens", defaultValue = "16384", description = "Tokens of --eval-text to score; 0 = all (default: ${DEFAULT-VALUE}).")
    int evalMaxTokens;

    @Option(names = "--no-eval", description = "Skip the perplexity evaluation.")
    boolean noEval;

    @Option(names = "--no-eval-before", description = "Measure only the pruned model, not the dense one (for sweeps "
            + "that prune one model many times; the report then has no 'before').")
    boolean noEvalBefore;

    @Option(names = "--no-save", description = "Do not write the model (report only).")
    boolean noSave;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report JSON here.")
    Path json;

    /** The method that runs: {@code --method}, else the recipe file's, else apt. */
    String effectiveMethod() throws IOException {
        if (method != null) return method;
        String fromFile = recipeFile == null ? null : RecipeFiles.method(recipeFile);
        return fromFile != null ? fromFile : "apt";
    }

    /** The calibration flags as a recipe override, or null when none was given. */
    PruneRecipe.Calibration calibration() {
        return calib == null && nsamples == null && seqlen == null && seed == null ? null
                : new PruneRecipe.Calibration(calib, nsamples, seqlen, seed);
    }
}
