package dev.prune4j.prune.structure.score;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.forward.ForwardHooks;
import dev.prune4j.model.forward.KvCache;
import dev.prune4j.model.forward.Transformer;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.prune.structure.StructureScores;
import java.util.Map;

/**
 * ShortGPT's block influence (Men et al., "ShortGPT: Layers in Large Language Models are More Redundant Than You
 * Expect", 2024): {@code BI_l = 1 − mean_t cos(h_t^{in}, h_t^{out})}, the mean over every calibration token of the
 * cosine between the residual stream entering decoder layer {@code l} and leaving it. A block that barely turns the
 * stream scores near 0 and is the first to go. Every token counts, BOS included; cosines are row-wise dot products,
 * not the diagonal of a similarity matrix. Only {@code layers} is scored.
 */
public final class BlockInfluenceScorer implements StructureScorer {
    public static final String NAME = "depth";

    @Override
    public String name() { return NAME; }

    @Override
    public boolean needsCalibration() { return true; }

    @Override
    public ScoreSet score(ModelConfig config, ModelWeights weights, int[][] samples, ScoreProgress progress) {
        if (samples == null || samples.length == 0) throw new IllegalArgumentException(NAME + " needs calibration sequences, got none");
        int layers = config.blockCount();
        double[] cosSum = new double[layers];
        long[] tokens = new long[layers];
        Transformer transformer = new Transformer(config, weights);
        int longest = 1;
        for (int[] s : samples) longest = Math.max(longest, s.length);
        KvCache cache = transformer.newCache(longest);
        for (int s = 0; s < samples.length; s++) {
            float[] previous = transformer.embed(samples[s]); // the stream entering layer 0
            ForwardHooks hooks = new ForwardHooks() {
                @Override
                public void blockOutput(int layer, float[] x, int rows, int cols) {
                    for (int t = 0; t < rows; t++) cosSum[layer] += cosine(previous, x, t * cols, cols);
                    tokens[layer] += rows;
                    System.arraycopy(x, 0, previous, 0, rows * cols);
                }
            };
            cache.clear();
            transformer.forward(samples[s], cache, hooks);
            progress.step(NAME, s + 1, samples.length);
        }
        float[] influence = new float[layers];
        for (int l = 0; l < layers; l++) influence[l] = (float) (1 - cosSum[l] / tokens[l]);
        StructureScores scores = new StructureScores(NAME, null, null, null, null, influence);
        return new ScoreSet(scores, ScoreSource.of(NAME, Map.of()));
    }

    /** Cosine of two rows at {@code off}; 1 when either is zero (a zero stream is not turned). */
    static double cosine(float[] a, float[] b, int off, int n) {
        double dot = 0, na = 0, nb = 0;
        for (int i = off; i < off + n; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 1 : dot / Math.sqrt(na * nb);
    }
}
