package dev.prune4j.prune.structure.score;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.prune.structure.StructureScores;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The control every structured score must beat: independent uniform scores for every query head, KV head, FFN
 * channel and hidden channel, from a fixed seed (0), so an allocation removes random groups. LLM-Pruner reports it
 * beside L2, and on LLaMA-7B random removal is far better than L2 magnitude; a scorer worse than random is
 * selecting the groups the model needs most.
 */
public final class RandomScorer implements StructureScorer {
    public static final String NAME = "random";
    static final long SEED = 0;

    @Override
    public String name() { return NAME; }

    @Override
    public boolean needsCalibration() { return false; }

    @Override
    public ScoreSet score(ModelConfig config, ModelWeights weights, int[][] samples, ScoreProgress progress) {
        SplittableRandom random = new SplittableRandom(SEED);
        int layers = config.blockCount();
        float[][] query = new float[layers][], kv = new float[layers][], ffn = new float[layers][];
        for (int l = 0; l < layers; l++) {
            query[l] = uniform(random, config.headCount(l));
            kv[l] = uniform(random, config.headCountKv(l));
            ffn[l] = uniform(random, config.feedForwardLength(l));
            progress.step(NAME, l + 1, layers);
        }
        StructureScores s = new StructureScores(NAME, query, kv, ffn, uniform(random, config.embeddingLength()), null);
        return new ScoreSet(s, ScoreSource.of(NAME, Map.of("seed", Long.toString(SEED))));
    }

    private static float[] uniform(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) random.nextDouble();
        return v;
    }
}
