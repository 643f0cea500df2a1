package dev.prune4j.prune.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.prune4j.model.Assets;
import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.forward.CapturePoint;
import dev.prune4j.model.forward.ForwardHooks;
import dev.prune4j.model.forward.KvCache;
import dev.prune4j.model.forward.Transformer;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.prune.calib.CalibrationSampler;
import dev.prune4j.prune.recipe.PruneRecipe;
import dev.prune4j.prune.recipe.StructuredRecipe;
import dev.prune4j.prune.structure.CoupledGroups;
import dev.prune4j.prune.structure.StructuredPlan;
import dev.prune4j.prune.structure.TinyModels;
import dev.prune4j.prune.structure.score.ScoreFiles;
import dev.prune4j.prune.structure.score.ScoreProgress;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The structured pruning job on stories260K: checks before work, score reuse, and FLAP's bias compensation. */
class StructuredPruningTest {
    private static LanguageModel model;
    private static int[] text;
    @TempDir Path dir;

    @BeforeAll
    static void load() throws Exception {
        Path m = Assets.stories260K().orElse(null);
        assumeTrue(m != null, "../shared/models/stories260K-f32.gguf is absent (not a developer or CI machine)");
        model = LanguageModel.load(m);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            sb.append("Once upon a time there was a little girl named Lily. She liked to play in the park with her dog. ");
            sb.append("One day the sun was hot and the dog ran to the big tree. Tim said hello and they were happy. ");
        }
        text = model.tokenizer().encode(sb.toString());
    }

    private static StructuredRecipe recipe(String method, double ratio, String allocation, boolean bias, String scores) {
        PruneRecipe.Calibration cal = scores != null || method.equals("l2") ? null : new PruneRecipe.Calibration("test", 6, 48, 1L);
        return new StructuredRecipe(method, ratio, allocation, null, null, null, null, null, null, null, null, bias, cal,
                scores).withDefaults();
    }

    @Test
    void flapBiasCompensationEqualsReplacingRemovedInputsByTheirMeans() throws Exception {
        StructuredRecipe r = recipe("flap", 0.3, "uniform", true, null);
        StructuredPruning.Outcome o = new StructuredPruning(model, null, r).run(text, null, ScoreProgress.NONE);
        StructuredPlan plan = o.allocation().plan();
        ModelConfig c = model.config();
        assertThat(o.pruned().weights().parameterCount()).isEqualTo(o.parameters());
        assertThat(o.parameters()).isEqualTo(CoupledGroups.of(c).parameterCount(plan)
                + 2L * c.embeddingLength() * plan.keptLayerCount());

        // independent of the scorer's side data and of FlapBiasCompensation: the means are gathered here, and the dense
        // model runs with every removed o_proj/down_proj input column set to its mean
        int bos = model.tokenizer().addBos() ? model.tokenizer().bos() : -1;
        int[][] samples = CalibrationSampler.sample(text, 6, 48, 1L, bos);
        double[][][] means = inputMeans(c, samples);
        boolean[][][] removed = removedColumns(c, plan);
        ForwardHooks replace = new ForwardHooks() {
            @Override
            public void linearInput(int layer, CapturePoint point, float[] x, int rows, int cols) {
                int k = point == CapturePoint.ATTN_OUTPUT_IN ? 0 : point == CapturePoint.FFN_DOWN_IN ? 1 : -1;
                if (k < 0) return;
                for (int t = 0; t < rows; t++) {
                    for (int j = 0; j < cols; j++) if (removed[layer][k][j]) x[t * cols + j] = (float) means[layer][k][j];
                }
            }
        };
        int[] tokens = model.encodePrompt("Lily and Tim went to the park to play with the big red ball.");
        float[] expected = logits(new Transformer(c, model.weights()), tokens, replace);
        float[] actual = logits(new Transformer(o.pruned().config(), o.pruned().weights()), tokens, ForwardHooks.NONE);
        assertThat(TinyModels.relativeDifference(expected, actual)).isLessThan(2e-5);
        float[] withoutBias = logits(new Transformer(c, model.weights()), tokens, maskOnly(removed));
        assertThat(TinyModels.relativeDifference(expected, withoutBias)).as("the compensation matters").isGreaterThan(1e-3);
        for (BlockWeights b : model.weights().blocks()) assertThat(b.attnOutput().bias()).as("dense model untouched").isNull();
    }

    @Test
    void savedScoresGiveTheSamePlanWithoutCalibration() throws Exception {
        Path file = dir.resolve("scores.json");
        StructuredPruning.Outcome first = new StructuredPruning(model, "abc", recipe("wanda-sp", 0.25, null, false, null))
                .run(text, file, ScoreProgress.NONE);
        assertThat(first.samples()).isEqualTo(6);
        assertThat(ScoreFiles.load(file).source().calibration().samples()).isEqualTo(6);
        StructuredPruning.Outcome again = new StructuredPruning(model, "abc", recipe("wanda-sp", 0.25, null, false, file.toString()))
                .run(null, null, ScoreProgress.NONE);
        assertThat(again.samples()).isZero();
        assertThat(again.scoresFile()).isEqualTo(file);
        assertPlansEqual(again.allocation().plan(), first.allocation().plan());

        assertThatThrownBy(() -> new StructuredPruning(model, "def", recipe("wanda-sp", 0.25, null, false, file.toString())))
                .hasMessageContaining("scored on another model").hasMessageContaining("abc").hasMessageContaining("def");
        assertThatThrownBy(() -> new StructuredPruning(model, "abc", recipe("flap", 0.25, "uniform", false, file.toString())))
                .hasMessageContaining("holds wanda-sp scores");
    }

    @Test
    void anImpossibleRatioIsRefusedBeforeAnyWork() {
        StructuredRecipe r = new StructuredRecipe("l2", 0.5, null, null, null, "none", null, null, 2, 2, null, null, null, null)
                .withDefaults();
        assertThatThrownBy(() -> new StructuredPruning(model, null, r)).hasMessageContaining("protect");
        StructuredRecipe tooMuch = recipe("l2", 0.95, null, false, null);
        assertThatThrownBy(() -> new StructuredPruning(model, null, tooMuch)).hasMessageContaining("would empty");
    }

    @Test
    void depthRemovesWholeLayers() throws Exception {
        StructuredPruning.Outcome o = new StructuredPruning(model, null, recipe("depth", 0.2, null, false, null))
                .run(text, null, ScoreProgress.NONE);
        assertThat(o.allocation().plan().keptLayerCount()).isEqualTo(4); // 5 equal layers: one is 20%
        assertThat(o.pruned().config().blockCount()).isEqualTo(4);
        assertThat(o.allocation().achievedRatio()).isEqualTo(0.2);
    }

    private static void assertPlansEqual(StructuredPlan a, StructuredPlan b) {
        assertThat(a.keptQueryHeads()).isDeepEqualTo(b.keptQueryHeads());
        assertThat(a.keptKvHeads()).isDeepEqualTo(b.keptKvHeads());
        assertThat(a.keptFfnChannels()).isDeepEqualTo(b.keptFfnChannels());
        assertThat(a.keptHiddenChannels()).isEqualTo(b.keptHiddenChannels());
        assertThat(a.removedLayers()).isEqualTo(b.removedLayers());
    }

    /** [layer][0: o_proj input, 1: down_proj input][column] the mean over every calibration token, in fp64. */
    private static double[][][] inputMeans(ModelConfig c, int[][] samples) {
        int layers = c.blockCount();
        double[][][] sum = new double[layers][2][];
        long[] count = new long[layers];
        for (int l = 0; l < layers; l++) {
            sum[l][0] = new double[c.qDim(l)];
            sum[l][1] = new double[c.feedForwardLength(l)];
        }
        ForwardHooks hooks = new ForwardHooks() {
            @Override
            public void linearInput(int layer, CapturePoint point, float[] x, int rows, int cols) {
                int k = point == CapturePoint.ATTN_OUTPUT_IN ? 0 : point == CapturePoint.FFN_DOWN_IN ? 1 : -1;
                if (k < 0) return;
                for (int t = 0; t < rows; t++) for (int j = 0; j < cols; j++) sum[layer][k][j] += x[t * cols + j];
                if (k == 0) count[layer] += rows;
            }
        };
        Transformer t = new Transformer(c, model.weights());
        KvCache cache = t.newCache(samples[0].length);
        for (int[] s : samples) {
            cache.clear();
            t.forward(s, cache, hooks);
        }
        for (int l = 0; l < layers; l++) for (double[] v : sum[l]) for (int j = 0; j < v.length; j++) v[j] /= count[l];
        return sum;
    }

    /** [layer][0: o_proj input, 1: down_proj input][column] whether the plan removes that column. */
    private static boolean[][][] removedColumns(ModelConfig c, StructuredPlan plan) {
        int layers = c.blockCount(), hd = c.headDim();
        boolean[][][] out = new boolean[layers][2][];
        for (int l = 0; l < layers; l++) {
            out[l][0] = new boolean[c.qDim(l)];
            out[l][1] = new boolean[c.feedForwardLength(l)];
            Arrays.fill(out[l][0], true);
            Arrays.fill(out[l][1], true);
            for (int h : plan.keptQueryHeads()[l]) Arrays.fill(out[l][0], h * hd, (h + 1) * hd, false);
            for (int ch : plan.keptFfnChannels()[l]) out[l][1][ch] = false;
        }
        return out;
    }

    private static ForwardHooks maskOnly(boolean[][][] removed) {
        return new ForwardHooks() {
            @Override
            public void linearInput(int layer, CapturePoint point, float[] x, int rows, int cols) {
                int k = point == CapturePoint.ATTN_OUTPUT_IN ? 0 : point == CapturePoint.FFN_DOWN_IN ? 1 : -1;
                if (k < 0) return;
                for (int t = 0; t < rows; t++) for (int j = 0; j < cols; j++) if (removed[layer][k][j]) x[t * cols + j] = 0;
            }
        };
    }

    private static float[] logits(Transformer t, int[] tokens, ForwardHooks hooks) {
        float[] h = t.forward(tokens, t.newCache(tokens.length), hooks);
        float[] out = new float[tokens.length * t.config().vocabSize()];
        t.logits(h, 0, tokens.length, out);
        return out;
    }
}
