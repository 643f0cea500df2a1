package dev.prune4j.prune.pipeline;

import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.arch.Architecture;
import dev.prune4j.model.arch.TensorRole;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.prune.calib.CalibrationSampler;
import dev.prune4j.prune.recipe.PruneRecipe;
import dev.prune4j.prune.recipe.StructuredRecipe;
import dev.prune4j.prune.structure.CoupledGroups;
import dev.prune4j.prune.structure.StructureScores;
import dev.prune4j.prune.structure.allocation.AllocationOptions;
import dev.prune4j.prune.structure.allocation.AllocationResult;
import dev.prune4j.prune.structure.allocation.Allocations;
import dev.prune4j.prune.structure.allocation.StructuredAllocation;
import dev.prune4j.prune.structure.score.FlapBiasCompensation;
import dev.prune4j.prune.structure.score.ScoreFiles;
import dev.prune4j.prune.structure.score.ScoreProgress;
import dev.prune4j.prune.structure.score.ScoreSet;
import dev.prune4j.prune.structure.score.ScoreSource;
import dev.prune4j.prune.structure.score.Scorers;
import dev.prune4j.prune.structure.score.StructureScorer;
import dev.prune4j.prune.structure.surgery.OutputBiases;
import dev.prune4j.prune.structure.surgery.PrunedModel;
import dev.prune4j.prune.structure.surgery.StructuredSurgery;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One structured pruning run from a complete {@link StructuredRecipe}. The constructor checks all that can be checked
 * before any work: the recipe, the scorer's options, a reused score file against the model (fit and sha256), and
 * whether the target can be reached without emptying a layer. {@link #run} then scores (or takes the loaded scores),
 * allocates, cuts the smaller model and, for FLAP, adds the bias compensation. The dense model is left unchanged.
 */
public final class StructuredPruning {
    /**
     * What a run produced.
     *
     * @param scores     the scores the plan was cut from, with their source
     * @param scoresFile the file they were loaded from, or null when scored in this run
     * @param allocation the plan, its strategy, target and achieved ratio
     * @param pruned     the smaller model (its own arrays)
     * @param parameters the pruned model's parameter count as the plan gives it, compensation biases included
     * @param samples    calibration sequences read (0 when none)
     * @param timings    seconds per phase: score (when scored here), allocate, surgery, bias_compensation
     */
    public record Outcome(ScoreSet scores, Path scoresFile, AllocationResult allocation, PrunedModel pruned, long parameters,
                          int samples, Map<String, Double> timings) {}

    private final LanguageModel model;
    private final String modelSha256;
    private final StructuredRecipe recipe;
    private final StructureScorer scorer;
    private final StructuredAllocation allocation;
    private final AllocationOptions options;
    private final ScoreSet loaded;      // null unless recipe.scores() names a file
    private final AllocationResult loadedCut; // the allocation of the loaded scores, computed up front

    /**
     * Checks the recipe against the model and reads a reused score file.
     *
     * @param recipe      complete ({@link StructuredRecipe#withDefaults()}), with any allocation file already read
     * @param modelSha256 the model's sha256 (checked against a score file's), or null when unknown
     * @throws IllegalArgumentException naming the field, file or layer when the run cannot succeed
     */
    public StructuredPruning(LanguageModel model, String modelSha256, StructuredRecipe recipe) throws IOException {
        recipe.validate();
        this.model = model;
        this.modelSha256 = modelSha256;
        this.recipe = recipe;
        this.scorer = Scorers.byName(recipe.method(), recipe.scorerOptions());
        this.allocation = Allocations.byName(recipe.allocation(), recipe.layerRatioArray(), recipe.depthLayers());
        this.options = recipe.allocationOptions();
        ModelConfig c = model.config();
        if (recipe.biasCompensation() && model.architecture() != Architecture.LLAMA) {
            throw new IllegalArgumentException("bias compensation adds o_proj and down_proj biases, which llama.cpp (llama, deci) "
                    + "and transformers (attention_bias, mlp_bias) read for Llama models only; this model is "
                    + model.architecture().ggufName);
        }
        PruneRecipe.Calibration cal = recipe.calibration();
        if (cal != null && cal.seqlen() > c.contextLength()) {
            throw new IllegalArgumentException("calibration seqlen " + cal.seqlen() + " exceeds the model's context of "
                    + c.contextLength() + " tokens");
        }
        if (recipe.scores() != null) {
            Path file = Path.of(recipe.scores());
            this.loaded = ScoreFiles.load(file);
            checkLoaded(file);
            this.loadedCut = allocation.allocate(c, loaded, options);
        } else {
            this.loaded = null;
            this.loadedCut = null;
            // the counts decide whether a target is reachable; scores only pick which groups, so any will do here
            allocation.allocate(c, placeholderScores(c), options);
        }
    }

    /**
     * Scores (unless loaded), allocates and cuts.
     *
     * @param calibrationTokens the tokenized calibration text; may be null when the method reads none or scores were loaded
     * @param saveScores        where to save the scores for later runs, or null
     */
    public Outcome run(int[] calibrationTokens, Path saveScores, ScoreProgress progress) throws IOException {
        Map<String, Double> timings = new LinkedHashMap<>();
        ModelConfig c = model.config();
        long t0 = System.nanoTime();
        ScoreSet set = loaded;
        int samples = 0;
        if (set == null) {
            int[][] sequences = null;
            if (scorer.needsCalibration()) {
                if (calibrationTokens == null) throw new IllegalArgumentException(recipe.method() + " needs calibration text");
                PruneRecipe.Calibration cal = recipe.calibration();
                int bos = model.tokenizer().addBos() ? model.tokenizer().bos() : -1;
                sequences = CalibrationSampler.sample(calibrationTokens, cal.samples(), cal.seqlen(), cal.seed(), bos);
                samples = sequences.length;
            }
            set = scorer.score(c, model.weights(), sequences, progress);
            ScoreSource source = set.source().withModel(model.name(), modelSha256);
            if (sequences != null) {
                PruneRecipe.Calibration cal = recipe.calibration();
                source = source.withCalibration(new ScoreSource.Calibration(cal.text(), cal.samples(), cal.seqlen(), cal.seed()));
            }
            set = set.withSource(source);
            timings.put("score", seconds(t0));
        }
        if (saveScores != null) ScoreFiles.save(saveScores, set);

        t0 = System.nanoTime();
        AllocationResult cut = loadedCut != null ? loadedCut : allocation.allocate(c, set, options);
        timings.put("allocate", seconds(t0));

        t0 = System.nanoTime();
        PrunedModel pruned = StructuredSurgery.apply(c, model.weights(), cut.plan());
        timings.put("surgery", seconds(t0));

        CoupledGroups groups = CoupledGroups.of(c, model.weights());
        if (recipe.biasCompensation()) {
            t0 = System.nanoTime();
            FlapBiasCompensation.Biases biases = FlapBiasCompensation.biases(c, model.weights(), cut.plan(), set);
            pruned = OutputBiases.add(pruned, cut.plan(), biases);
            groups = groups.withBiases(TensorRole.ATTN_OUTPUT_BIAS, TensorRole.FFN_DOWN_BIAS);
            timings.put("bias_compensation", seconds(t0));
        }
        Path file = recipe.scores() == null ? null : Path.of(recipe.scores());
        return new Outcome(set, file, cut, pruned, groups.parameterCount(cut.plan()), samples, timings);
    }

    /** The score file's method, options, shapes and model must be this run's. */
    private void checkLoaded(Path file) {
        ScoreSource s = loaded.source();
        if (!recipe.method().equals(s.method())) {
            throw new IllegalArgumentException(file + " holds " + s.method() + " scores, the recipe's method is " + recipe.method());
        }
        recipe.scorerOptions().forEach((k, v) -> {
            if (!v.equals(s.options().get(k))) {
                throw new IllegalArgumentException(file + " was scored with " + k + " " + s.options().get(k) + ", the recipe asks for "
                        + v + "; leave the option out to use the file's, or score again");
            }
        });
        loaded.checkFits(model.config(), file.toString());
        if (s.modelSha256() != null && modelSha256 != null && !s.modelSha256().equals(modelSha256)) {
            throw new IllegalArgumentException(file + " was scored on another model (" + s.model() + ", sha256 " + s.modelSha256()
                    + "); this one's sha256 is " + modelSha256 + ". Score this model, or prune the one the scores belong to");
        }
        if (recipe.biasCompensation() && loaded.side(ScoreSet.FFN_DOWN_MEANS) == null) {
            throw new IllegalArgumentException(file + " keeps no input means, which bias compensation needs");
        }
    }

    /** Zero scores of every kind and shape: enough for an allocation to say whether the target can be met. */
    static ScoreSet placeholderScores(ModelConfig c) {
        int layers = c.blockCount();
        float[][] q = new float[layers][], kv = new float[layers][], ffn = new float[layers][];
        for (int l = 0; l < layers; l++) {
            q[l] = new float[c.headCount(l)];
            kv[l] = new float[c.headCountKv(l)];
            ffn[l] = new float[c.feedForwardLength(l)];
        }
        StructureScores s = new StructureScores("placeholder", q, kv, ffn, new float[c.embeddingLength()], new float[layers]);
        return new ScoreSet(s, ScoreSource.of("placeholder", Map.of()));
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
