package dev.prune4j.prune.structure.score;

import static dev.prune4j.prune.structure.score.WeightSlices.blockSums;
import static dev.prune4j.prune.structure.score.WeightSlices.columnSquares;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.forward.CapturePoint;
import dev.prune4j.model.forward.ForwardHooks;
import dev.prune4j.model.forward.Transformer;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.Linear;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.prune.structure.StructureScores;
import java.util.Map;

/**
 * FLAP's fluctuation metric WIFV (An et al., "Fluctuation-based Adaptive Structured Pruning for Large Language
 * Models", AAAI 2024; {@code metrics['WIFV']} in its {@code lib/prune.py}): per input column {@code j} of
 * o_proj and of down_proj, {@code s_j = Var(x_j) · ‖W[:, j]‖²}, the sample variance of that input over all
 * calibration tokens times the squared norm of the weight column it multiplies. A removed column whose input barely
 * fluctuates can be replaced by a constant (its mean, see {@link FlapBiasCompensation}).
 *
 * <p>Grouping as in the reference code: an FFN channel scores {@code s_c} of its down_proj column; for attention the
 * code squares the column metric, so a query head scores {@code Σ_{j∈head} s_j²} and a KV head the sum over its
 * query heads. The side data keeps {@code s_j²} per o_proj column ({@link ScoreSet#ATTN_OUTPUT_COLUMNS}, which FLAP's
 * global threshold standardises per layer) and the input means of every o_proj and down_proj column.
 *
 * <p>The variance is the unbiased one over every token. The reference accumulates an online estimate that counts
 * sequences instead of tokens, which scales every column of a layer by the same factor and leaves out the first
 * sequence. Reference calibration: 1024 WikiText-2 sequences of 128 tokens.
 */
public final class FlapScorer implements StructureScorer {
    public static final String NAME = "flap";

    @Override
    public String name() { return NAME; }

    @Override
    public boolean needsCalibration() { return true; }

    @Override
    public ScoreSet score(ModelConfig config, ModelWeights weights, int[][] samples, ScoreProgress progress) {
        int layers = config.blockCount();
        ChannelMoments[] attn = new ChannelMoments[layers], down = new ChannelMoments[layers];
        for (int l = 0; l < layers; l++) {
            attn[l] = new ChannelMoments(config.qDim(l));
            down[l] = new ChannelMoments(config.feedForwardLength(l));
        }
        ForwardHooks hooks = new ForwardHooks() {
            @Override
            public void linearInput(int layer, CapturePoint point, float[] x, int rows, int cols) {
                if (point == CapturePoint.ATTN_OUTPUT_IN) attn[layer].add(x, rows);
                if (point == CapturePoint.FFN_DOWN_IN) down[layer].add(x, rows);
            }
        };
        CalibrationPass.run(new Transformer(config, weights), samples, hooks, NAME, progress);

        int hd = config.headDim();
        float[][] query = new float[layers][], kv = new float[layers][], ffn = new float[layers][];
        float[][] columns = new float[layers][], attnMeans = new float[layers][], downMeans = new float[layers][];
        for (int l = 0; l < layers; l++) {
            BlockWeights b = weights.blocks()[l];
            double[] s = fluctuation(b.attnOutput(), attn[l]);
            for (int j = 0; j < s.length; j++) s[j] *= s[j];
            double[] perQuery = blockSums(s, hd);
            columns[l] = WeightSlices.toFloat(s);
            query[l] = WeightSlices.toFloat(perQuery);
            kv[l] = WeightSlices.toFloat(blockSums(perQuery, config.headCount(l) / config.headCountKv(l)));
            ffn[l] = WeightSlices.toFloat(fluctuation(b.ffnDown(), down[l]));
            attnMeans[l] = WeightSlices.toFloat(attn[l].mean());
            downMeans[l] = WeightSlices.toFloat(down[l].mean());
        }
        StructureScores scores = new StructureScores(NAME, query, kv, ffn, null, null);
        return new ScoreSet(scores, ScoreSource.of(NAME, Map.of()), Map.of(
                ScoreSet.ATTN_OUTPUT_COLUMNS, columns,
                ScoreSet.ATTN_OUTPUT_MEANS, attnMeans,
                ScoreSet.FFN_DOWN_MEANS, downMeans));
    }

    /** @return [in] {@code Var(x_j) · Σ_i W[i,j]²} */
    private static double[] fluctuation(Linear l, ChannelMoments m) {
        double[] s = columnSquares(l);
        double[] v = m.variance();
        for (int j = 0; j < s.length; j++) s[j] *= v[j];
        return s;
    }
}
