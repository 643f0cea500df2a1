package dev.prune4j.prune.structure.score;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.Linear;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.prune.structure.StructuredPlan;
import java.util.Arrays;

/**
 * FLAP's bias compensation: a removed input column {@code j} of o_proj or down_proj is replaced by its calibration
 * mean, so the layer's output keeps {@code Σ_{j removed} W[:, j]·mean(x_j)} as a constant bias (FLAP's
 * {@code compress}: {@code (mean_inp * ~mask) @ W.T}). Surgery adds these vectors to the pruned linears' biases.
 */
public final class FlapBiasCompensation {
    /**
     * @param attnOutput [layer][embeddingLength] bias to add to o_proj, or null for a layer that is removed whole or
     *                   keeps every query head
     * @param ffnDown    [layer][embeddingLength] bias to add to down_proj, or null likewise
     */
    public record Biases(float[][] attnOutput, float[][] ffnDown) {}

    private FlapBiasCompensation() {}

    /**
     * @param weights the dense weights the scores were computed on (before surgery)
     * @param scores  scores holding {@link ScoreSet#ATTN_OUTPUT_MEANS} and {@link ScoreSet#FFN_DOWN_MEANS} (FLAP's)
     * @throws IllegalArgumentException when the scores keep no input means
     */
    public static Biases biases(ModelConfig config, ModelWeights weights, StructuredPlan plan, ScoreSet scores) {
        float[][] attnMeans = scores.side(ScoreSet.ATTN_OUTPUT_MEANS), downMeans = scores.side(ScoreSet.FFN_DOWN_MEANS);
        if (attnMeans == null || downMeans == null) {
            throw new IllegalArgumentException("bias compensation needs the input means that " + FlapScorer.NAME
                    + " scores keep; these scores are from " + scores.source().method());
        }
        scores.checkFits(config, "scores for bias compensation");
        int layers = config.blockCount(), hd = config.headDim();
        float[][] attn = new float[layers][], down = new float[layers][];
        for (int l = 0; l < layers; l++) {
            if (plan.removedLayers()[l]) continue;
            BlockWeights b = weights.blocks()[l];
            boolean[] keptColumn = new boolean[config.qDim(l)];
            for (int h : plan.keptQueryHeads()[l]) Arrays.fill(keptColumn, h * hd, (h + 1) * hd, true);
            attn[l] = compensation(b.attnOutput(), keptColumn, attnMeans[l]);
            boolean[] keptChannel = new boolean[config.feedForwardLength(l)];
            for (int c : plan.keptFfnChannels()[l]) keptChannel[c] = true;
            down[l] = compensation(b.ffnDown(), keptChannel, downMeans[l]);
        }
        return new Biases(attn, down);
    }

    /** @return [out] {@code Σ_{j not kept} W[:, j]·mean_j}, or null when every column is kept */
    private static float[] compensation(Linear l, boolean[] kept, float[] mean) {
        int in = l.in();
        float[] w = l.weight();
        boolean any = false;
        for (boolean k : kept) any |= !k;
        if (!any) return null;
        float[] bias = new float[l.out()];
        for (int i = 0; i < l.out(); i++) {
            double acc = 0;
            for (int j = 0, off = i * in; j < in; j++) {
                if (!kept[j]) acc += (double) w[off + j] * mean[j];
            }
            bias[i] = (float) acc;
        }
        return bias;
    }
}
