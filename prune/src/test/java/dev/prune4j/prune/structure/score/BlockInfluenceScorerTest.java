package dev.prune4j.prune.structure.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.forward.ForwardHooks;
import dev.prune4j.model.forward.KvCache;
import dev.prune4j.model.forward.Transformer;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.model.weights.RandomWeights;
import dev.prune4j.prune.structure.ToyModels;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BlockInfluenceScorerTest {
    @Test
    void aBlockThatAddsNothingHasNoInfluenceAndOthersMatchBlockByBlockCosines() {
        ModelConfig c = ToyModels.config(3, 16, new int[] {4, 4, 4}, new int[] {2, 2, 2}, new int[] {24, 24, 24}, 4);
        ModelWeights w = RandomWeights.create(c, 8);
        // layer 1 writes nothing into the residual stream: its output is its input
        Arrays.fill(w.blocks()[1].attnOutput().weight(), 0f);
        Arrays.fill(w.blocks()[1].ffnDown().weight(), 0f);
        int[][] samples = ToyModels.samples(3, 6, c.vocabSize(), 4);
        float[] bi = new BlockInfluenceScorer().score(c, w, samples, ScoreProgress.NONE).scores().layers();

        // reference: run the blocks one at a time and average the cosines of every token
        Transformer t = new Transformer(c, w);
        double[] sum = new double[3];
        int tokens = 0;
        for (int[] s : samples) {
            float[] x = t.embed(s);
            KvCache cache = t.newCache(s.length);
            for (int l = 0; l < 3; l++) {
                float[] in = x.clone();
                t.block(l, x, s.length, 0, cache, ForwardHooks.NONE);
                for (int i = 0; i < s.length; i++) {
                    double dot = 0, a = 0, b = 0;
                    for (int k = 0; k < 16; k++) {
                        dot += in[i * 16 + k] * x[i * 16 + k];
                        a += in[i * 16 + k] * in[i * 16 + k];
                        b += x[i * 16 + k] * x[i * 16 + k];
                    }
                    sum[l] += dot / Math.sqrt(a * b);
                }
            }
            tokens += s.length;
        }
        assertThat(bi[1]).as("identity block").isCloseTo(0f, within(1e-6f));
        for (int l : new int[] {0, 2}) {
            assertThat(bi[l]).as("layer %d", l).isCloseTo((float) (1 - sum[l] / tokens), within(1e-5f)).isGreaterThan(0.01f);
        }
    }
}
