package dev.prune4j.prune.pipeline;

import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.forward.Transformer;
import dev.prune4j.prune.calib.CalibrationSampler;
import dev.prune4j.prune.method.LinearPruner;
import dev.prune4j.prune.method.Pruners;
import dev.prune4j.prune.method.SparsityTarget;
import dev.prune4j.prune.recipe.PruneRecipe;
import java.util.List;

/**
 * One post-training pruning run from a complete recipe: checks that everything fits before any work, samples the
 * calibration set, computes the allocation (uniform, a list, or OWL), and runs the sequential pipeline in place on
 * the model's weights.
 */
public final class PostTrainingPruning {
    /** What a run did. */
    public record Outcome(List<LinearRecord> linears, SparsityPlan plan, OwlAllocation.Result owl, int samples,
                          int seqlen, double owlSeconds, double pruneSeconds) {}

    private final LanguageModel model;
    private final PruneRecipe recipe;
    private final List<TargetLinear> targets;
    private final SparsityPlan plan;

    /**
     * Validates the recipe against the model.
     *
     * @param layerList the per-layer sparsities when the allocation is a list, else null
     */
    public PostTrainingPruning(LanguageModel model, PruneRecipe recipe, List<Double> layerList) {
        recipe.validate();
        this.model = model;
        this.recipe = recipe;
        this.targets = LinearSelection.select(model.architecture(), model.weights(), recipe.targets());
        int layers = model.config().blockCount();
        if (layerList != null) {
            this.plan = SparsityPlan.ofFractions(layerList, layers);
        } else {
            SparsityTarget target = recipe.pattern() != null ? SparsityTarget.NofM.parse(recipe.pattern())
                    : new SparsityTarget.Unstructured(recipe.sparsity());
            this.plan = SparsityPlan.uniform(target, layers); // OWL replaces it after its statistics pass
        }
        for (TargetLinear t : targets) plan.target(t.layer()).validate(t.linear().in(), t.name());
        MemoryBudget.check(model, targets, recipe);
    }

    public List<TargetLinear> targets() {
        return targets;
    }

    /** Runs the whole thing on {@code calibrationTokens}, modifying the model's weights. */
    public Outcome run(int[] calibrationTokens, PipelineListener listener) {
        PruneRecipe.Calibration c = recipe.calibration();
        int bos = model.tokenizer().addBos() ? model.tokenizer().bos() : -1;
        int[][] samples = CalibrationSampler.sample(calibrationTokens, c.samples(), c.seqlen(), c.seed(), bos);
        Transformer transformer = model.transformer();
        SparsityPlan effective = plan;
        OwlAllocation.Result owl = null;
        double owlSeconds = 0;
        if ("owl".equals(recipe.allocation())) {
            long t0 = System.nanoTime();
            owl = OwlAllocation.compute(transformer, targets, samples, recipe.owl().m(), recipe.owl().lambda(),
                    recipe.sparsity(), listener);
            effective = OwlAllocation.plan(owl);
            owlSeconds = (System.nanoTime() - t0) / 1e9;
        }
        LinearPruner pruner = Pruners.create(recipe);
        long t0 = System.nanoTime();
        List<LinearRecord> records = new SequentialPruner(transformer, targets, pruner, effective, listener).run(samples);
        return new Outcome(records, effective, owl, samples.length, c.seqlen(), owlSeconds, (System.nanoTime() - t0) / 1e9);
    }
}
