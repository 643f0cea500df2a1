package dev.prune4j.prune.structure.score;

import static dev.prune4j.prune.structure.score.WeightSlices.add;
import static dev.prune4j.prune.structure.score.WeightSlices.blockSums;
import static dev.prune4j.prune.structure.score.WeightSlices.columnSquares;
import static dev.prune4j.prune.structure.score.WeightSlices.rowSquares;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.Linear;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.prune.structure.StructureScores;
import java.util.Map;

/**
 * Magnitude: the L2 norm of all the weights a group owns, {@code sqrt(Σ w²)}. A query head owns its {@code headDim}
 * rows of q and columns of o; a KV head its rows of k and v plus everything its query heads own; an FFN channel its
 * row of gate and up and its column of down; a hidden channel the embedding column, every reader's input column
 * (q, k, v, gate, up, an untied lm_head), every writer's output row (o, down) and its entry of every norm gain.
 * Biases are not scored (Llama-family models have none on the pruned slices).
 *
 * <p>LLM-Pruner's {@code l2} ranks by the mean over the group's member tensors of {@code Σ w²}; within one layer and
 * kind every group has the same members, so the ranking is the same as here.
 */
public final class L2Scorer implements StructureScorer {
    public static final String NAME = "l2";

    @Override
    public String name() { return NAME; }

    @Override
    public boolean needsCalibration() { return false; }

    @Override
    public ScoreSet score(ModelConfig config, ModelWeights weights, int[][] samples, ScoreProgress progress) {
        int layers = config.blockCount(), hd = config.headDim(), d = config.embeddingLength();
        float[][] query = new float[layers][], kv = new float[layers][], ffn = new float[layers][];
        double[] hidden = columnSquares(new Linear(config.vocabSize(), d, weights.tokenEmbd(), null));
        for (int l = 0; l < layers; l++) {
            BlockWeights b = weights.blocks()[l];
            double[] perQuery = add(blockSums(rowSquares(b.attnQ()), hd), blockSums(columnSquares(b.attnOutput()), hd));
            double[] perKv = add(blockSums(rowSquares(b.attnK()), hd), blockSums(rowSquares(b.attnV()), hd));
            perKv = add(perKv, blockSums(perQuery, config.headCount(l) / config.headCountKv(l)));
            double[] perChannel = add(add(rowSquares(b.ffnGate()), rowSquares(b.ffnUp())), columnSquares(b.ffnDown()));
            query[l] = WeightSlices.sqrt(perQuery);
            kv[l] = WeightSlices.sqrt(perKv);
            ffn[l] = WeightSlices.sqrt(perChannel);

            for (Linear reader : new Linear[] {b.attnQ(), b.attnK(), b.attnV(), b.ffnGate(), b.ffnUp()}) {
                hidden = add(hidden, columnSquares(reader));
            }
            hidden = add(hidden, add(rowSquares(b.attnOutput()), rowSquares(b.ffnDown())));
            for (float[] gain : new float[][] {b.attnNorm(), b.attnPostNorm(), b.ffnNorm(), b.ffnPostNorm()}) {
                if (gain != null) hidden = add(hidden, squares(gain));
            }
            progress.step("l2", l + 1, layers);
        }
        hidden = add(hidden, squares(weights.outputNorm()));
        if (!weights.tied()) hidden = add(hidden, columnSquares(weights.output()));
        StructureScores s = new StructureScores(NAME, query, kv, ffn, WeightSlices.sqrt(hidden), null);
        return new ScoreSet(s, ScoreSource.of(NAME, Map.of()));
    }

    private static double[] squares(float[] v) {
        double[] s = new double[v.length];
        for (int i = 0; i < v.length; i++) s[i] = (double) v[i] * v[i];
        return s;
    }
}
