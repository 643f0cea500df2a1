package dev.prune4j.prune.structure.score;

import static dev.prune4j.prune.structure.score.WeightSlices.blockSums;
import static dev.prune4j.prune.structure.score.WeightSlices.columnAbsMeans;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.forward.CapturePoint;
import dev.prune4j.model.forward.ForwardHooks;
import dev.prune4j.model.forward.Transformer;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.Linear;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.prune.calib.InputStatistics;
import dev.prune4j.prune.structure.StructureScores;
import java.util.Map;

/**
 * Wanda-sp, the structured Wanda baseline of the FLAP paper (An et al., AAAI 2024; {@code prune_wanda_sp} in its
 * code). Per input column {@code j} of o_proj and of down_proj the score is
 * {@code s_j = (1/out) Σ_i |W[i,j]| · ‖x_j‖}, with {@code ‖x_j‖} the root mean square of that input over the
 * calibration tokens; a query head scores the sum of its {@code headDim} columns, a KV head the sum over its query
 * heads, an FFN channel its down_proj column. A hidden channel scores the same product summed over its input
 * column in every reader of the residual stream (q, k, v at the attention norm's output, gate and up at the FFN
 * norm's output; the lm_head is not included).
 *
 * <p>Differences from the reference code, none of which changes a ranking inside a layer: the input norm is an RMS
 * over tokens rather than a sum over tokens divided by the number of sequences, and all statistics come from one
 * dense pass (the reference prunes block by block, so its later blocks see the outputs of pruned earlier ones), so
 * that one calibration serves every target. Reference calibration: 128 C4 sequences of the model's length.
 */
public final class WandaSpScorer implements StructureScorer {
    public static final String NAME = "wanda-sp";

    @Override
    public String name() { return NAME; }

    @Override
    public boolean needsCalibration() { return true; }

    @Override
    public ScoreSet score(ModelConfig config, ModelWeights weights, int[][] samples, ScoreProgress progress) {
        int layers = config.blockCount();
        InputStatistics[][] stats = new InputStatistics[layers][CapturePoint.values().length];
        for (int l = 0; l < layers; l++) {
            BlockWeights b = weights.blocks()[l];
            stats[l][CapturePoint.ATTN_IN.ordinal()] = InputStatistics.diagonal(b.attnQ().in());
            stats[l][CapturePoint.ATTN_OUTPUT_IN.ordinal()] = InputStatistics.diagonal(b.attnOutput().in());
            stats[l][CapturePoint.FFN_IN.ordinal()] = InputStatistics.diagonal(b.ffnGate().in());
            stats[l][CapturePoint.FFN_DOWN_IN.ordinal()] = InputStatistics.diagonal(b.ffnDown().in());
        }
        ForwardHooks hooks = new ForwardHooks() {
            @Override
            public void linearInput(int layer, CapturePoint point, float[] x, int rows, int cols) {
                stats[layer][point.ordinal()].add(x, rows);
            }
        };
        CalibrationPass.run(new Transformer(config, weights), samples, hooks, NAME, progress);

        int hd = config.headDim();
        float[][] query = new float[layers][], kv = new float[layers][], ffn = new float[layers][], columns = new float[layers][];
        double[] hidden = new double[config.embeddingLength()];
        for (int l = 0; l < layers; l++) {
            BlockWeights b = weights.blocks()[l];
            InputStatistics[] s = stats[l];
            double[] perColumn = wanda(b.attnOutput(), s[CapturePoint.ATTN_OUTPUT_IN.ordinal()]);
            double[] perQuery = blockSums(perColumn, hd);
            columns[l] = WeightSlices.toFloat(perColumn);
            query[l] = WeightSlices.toFloat(perQuery);
            kv[l] = WeightSlices.toFloat(blockSums(perQuery, config.headCount(l) / config.headCountKv(l)));
            ffn[l] = WeightSlices.toFloat(wanda(b.ffnDown(), s[CapturePoint.FFN_DOWN_IN.ordinal()]));
            for (Linear r : new Linear[] {b.attnQ(), b.attnK(), b.attnV()}) {
                hidden = WeightSlices.add(hidden, wanda(r, s[CapturePoint.ATTN_IN.ordinal()]));
            }
            for (Linear r : new Linear[] {b.ffnGate(), b.ffnUp()}) {
                hidden = WeightSlices.add(hidden, wanda(r, s[CapturePoint.FFN_IN.ordinal()]));
            }
        }
        StructureScores scores = new StructureScores(NAME, query, kv, ffn, WeightSlices.toFloat(hidden), null);
        return new ScoreSet(scores, ScoreSource.of(NAME, Map.of()), Map.of(ScoreSet.ATTN_OUTPUT_COLUMNS, columns));
    }

    /** @return [in] {@code (1/out) Σ_i |W[i,j]| · rms(x_j)} */
    private static double[] wanda(Linear l, InputStatistics s) {
        double[] abs = columnAbsMeans(l);
        double[] ms = s.meanSquares();
        for (int j = 0; j < abs.length; j++) abs[j] *= Math.sqrt(ms[j]);
        return abs;
    }
}
