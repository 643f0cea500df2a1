package dev.prune4j.prune.pipeline;

import dev.prune4j.model.LanguageModel;
import dev.prune4j.prune.recipe.PruneRecipe;
import java.util.List;

/**
 * The heap a run will need on top of the loaded model, checked before any work: the calibration residual streams
 * (plus one working copy), the largest Hessian and its factors in fp64, and a dense copy of one block's linears.
 */
final class MemoryBudget {
    private MemoryBudget() {}

    static long estimate(LanguageModel model, List<TargetLinear> targets, PruneRecipe recipe) {
        long hidden = model.config().embeddingLength();
        long streams = (long) recipe.calibration().samples() * recipe.calibration().seqlen() * hidden * 4;
        long maxIn = targets.stream().mapToLong(t -> t.linear().in()).max().orElse(0);
        long hessian = maxIn * maxIn * 8 * 6; // statistics, damped copy, L, L⁻¹, inverse, U
        long block = targets.stream().filter(t -> t.layer() == 0).mapToLong(t -> (long) t.linear().in() * t.linear().out())
                .sum() * 4 * 3;
        long activations = (long) recipe.calibration().seqlen() * model.config().feedForwardLength(0) * 4 * 8;
        return streams + streams / recipe.calibration().samples() + hessian + block + activations;
    }

    static void check(LanguageModel model, List<TargetLinear> targets, PruneRecipe recipe) {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        long need = estimate(model, targets, recipe);
        if (need > free) {
            throw new IllegalArgumentException(String.format(
                    "this run needs about %.1f GiB of heap beyond the model but only %.1f GiB are free (-Xmx %.1f GiB); "
                            + "lower --nsamples or --seqlen, or raise PRUNE4J_HEAP", need / 1073741824.0,
                    free / 1073741824.0, rt.maxMemory() / 1073741824.0));
        }
    }
}
