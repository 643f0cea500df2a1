package dev.prune4j.prune.structure.allocation;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.prune.structure.StructureScores;
import dev.prune4j.prune.structure.score.ScoreSet;
import dev.prune4j.prune.structure.score.ScoreSource;
import java.util.Map;
import java.util.Random;

/** Seeded random scores of every group of a config, each layer on its own scale (as real scores are). */
final class RandomScores {
    private RandomScores() {}

    static ScoreSet of(ModelConfig c, long seed) {
        Random r = new Random(seed);
        int layers = c.blockCount();
        float[][] q = new float[layers][], kv = new float[layers][], ffn = new float[layers][];
        float[] depth = new float[layers];
        for (int l = 0; l < layers; l++) {
            float scale = (float) Math.exp(r.nextGaussian());
            q[l] = values(r, c.headCount(l), scale);
            kv[l] = values(r, c.headCountKv(l), scale);
            ffn[l] = values(r, c.feedForwardLength(l), scale);
            depth[l] = r.nextFloat();
        }
        return new ScoreSet(new StructureScores("random", q, kv, ffn, null, depth), ScoreSource.of("random", Map.of()));
    }

    private static float[] values(Random r, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = scale * r.nextFloat();
        return v;
    }
}
