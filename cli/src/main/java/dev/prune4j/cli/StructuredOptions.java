package dev.prune4j.cli;

import dev.prune4j.prune.recipe.StructuredRecipe;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options of {@code prune4j prune} for structured methods (l2, wanda-sp, flap, llm-pruner, depth, random). */
final class StructuredOptions {
    @Option(names = "--ratio", paramLabel = "R",
            description = "Structured: fraction of the block linears' parameters (q, k, v, o, gate, up, down) to remove, in [0, 1), e.g. 0.2.")
    Double ratio;

    @Option(names = "--attention", paramLabel = "kv|query|none",
            description = "Structured: what attention removes as a unit: kv = a KV head with all its query heads, query = one query"
                    + " head in every KV group, none = keep attention whole (default: kv).")
    String attention;

    @Option(names = "--no-ffn", description = "Structured: keep every FFN channel (cut attention only).")
    boolean noFfn;

    @Option(names = "--width-multiple", paramLabel = "M",
            description = "Structured: pruned FFN widths are multiples of M, which kernels and runtimes run faster on (default: 8).")
    Integer widthMultiple;

    @Option(names = "--protect-first", paramLabel = "N", description = "Structured: leave the first N layers whole (default: 0; LLM-Pruner: 4 of 32).")
    Integer protectFirst;

    @Option(names = "--protect-last", paramLabel = "N", description = "Structured: leave the last N layers whole (default: 0; LLM-Pruner: 2 of 32).")
    Integer protectLast;

    @Option(names = "--depth-layers", paramLabel = "N", description = "Depth: remove exactly N layers instead of reaching --ratio.")
    Integer depthLayers;

    @Option(names = "--taylor", paramLabel = "vector|element1|element2",
            description = "llm-pruner: Taylor importance |Σ w·g| (vector), Σ |w·g| (element1) or Σ |w·g − ½F·w²| with the Fisher diagonal (element2) (default: element1).")
    String taylor;

    @Option(names = "--reduction", paramLabel = "sum|mean|max|prod",
            description = "llm-pruner: how a group's member slices combine (default: sum).")
    String reduction;

    @Option(names = "--bias-compensation",
            description = "flap: replace removed o_proj/down_proj inputs by their calibration means, written as biases of those linears (Llama models; llama.cpp and transformers read them).")
    boolean biasCompensation;

    @Option(names = "--scores", paramLabel = "FILE",
            description = "Structured: cut from scores saved by --save-scores instead of scoring; no calibration is read. The file must be for this model (shapes, sha256) and method.")
    Path scores;

    @Option(names = "--save-scores", paramLabel = "FILE",
            description = "Structured: also save the scores (with their method, model and calibration) to cut other targets later with --scores.")
    Path saveScores;

    @Option(names = "--no-speed", description = "Structured: skip the speed measurement (prefill and decode tokens/s before and after).")
    boolean noSpeed;

    /** These flags as a recipe override; absent flags are null. */
    StructuredRecipe recipe(PruneOptions common) {
        StructuredRecipe.Taylor t = taylor == null && reduction == null ? null : new StructuredRecipe.Taylor(taylor, reduction);
        return new StructuredRecipe(common.method, ratio, common.allocation, null, depthLayers, attention, noFfn ? false : null,
                widthMultiple, protectFirst, protectLast, t, biasCompensation ? true : null, common.calibration(),
                scores == null ? null : scores.toString());
    }

    /** The structured flags make no sense for a post-training method: say so rather than ignore them. */
    void refuseWith(String method) {
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("--ratio", ratio);
        given.put("--attention", attention);
        given.put("--no-ffn", noFfn ? true : null);
        given.put("--width-multiple", widthMultiple);
        given.put("--protect-first", protectFirst);
        given.put("--protect-last", protectLast);
        given.put("--depth-layers", depthLayers);
        given.put("--taylor", taylor);
        given.put("--reduction", reduction);
        given.put("--bias-compensation", biasCompensation ? true : null);
        given.put("--scores", scores);
        given.put("--save-scores", saveScores);
        given.put("--no-speed", noSpeed ? true : null);
        given.forEach((flag, value) -> {
            if (value != null) {
                throw new IllegalArgumentException(flag + " applies to structured methods (" + String.join(", ", StructuredRecipe.METHODS)
                        + "), not to " + method + (flag.equals("--ratio") ? "; use --sparsity or --pattern" : ""));
            }
        });
    }
}
