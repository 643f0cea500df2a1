package dev.prune4j.prune.structure.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.forward.CapturePoint;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.Linear;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.model.weights.RandomWeights;
import dev.prune4j.prune.structure.StructureScores;
import dev.prune4j.prune.structure.ToyModels;
import org.junit.jupiter.api.Test;

class WandaSpScorerTest {
    /** (1/out) Σ_i |W[i,j]| · rms(x_j), brute force from every captured token. */
    static double wanda(Linear l, int j, CapturedInputs x, int layer, CapturePoint p) {
        double abs = 0;
        for (int i = 0; i < l.out(); i++) abs += Math.abs(l.weight()[i * l.in() + j]);
        return abs / l.out() * x.rms(layer, p, j);
    }

    @Test
    void equalsBruteForceOverCapturedInputs() {
        ModelConfig c = ToyModels.gqa();
        ModelWeights w = RandomWeights.create(c, 4);
        int[][] samples = ToyModels.samples(3, 9, c.vocabSize(), 1);
        ScoreSet set = new WandaSpScorer().score(c, w, samples, ScoreProgress.NONE);
        StructureScores s = set.scores();
        CapturedInputs x = CapturedInputs.of(c, w, samples);
        int hd = c.headDim(), d = c.embeddingLength();
        double[] hidden = new double[d];
        for (int l = 0; l < c.blockCount(); l++) {
            BlockWeights b = w.blocks()[l];
            double[] head = new double[c.headCount(l)];
            for (int j = 0; j < c.qDim(l); j++) {
                double col = wanda(b.attnOutput(), j, x, l, CapturePoint.ATTN_OUTPUT_IN);
                head[j / hd] += col;
                assertThat(set.side(ScoreSet.ATTN_OUTPUT_COLUMNS)[l][j]).isCloseTo((float) col, within(1e-5f));
            }
            for (int h = 0; h < head.length; h++) {
                assertThat(s.queryHeads()[l][h]).as("layer %d head %d", l, h).isCloseTo((float) head[h], within(1e-5f));
            }
            int group = c.headCount(l) / c.headCountKv(l);
            for (int g = 0; g < c.headCountKv(l); g++) {
                double e = 0;
                for (int h = g * group; h < (g + 1) * group; h++) e += head[h];
                assertThat(s.kvHeads()[l][g]).as("layer %d KV head %d", l, g).isCloseTo((float) e, within(1e-5f));
            }
            for (int ch = 0; ch < c.feedForwardLength(l); ch++) {
                assertThat(s.ffnChannels()[l][ch]).as("layer %d channel %d", l, ch)
                        .isCloseTo((float) wanda(b.ffnDown(), ch, x, l, CapturePoint.FFN_DOWN_IN), within(1e-5f));
            }
            for (int j = 0; j < d; j++) {
                for (Linear r : new Linear[] {b.attnQ(), b.attnK(), b.attnV()}) hidden[j] += wanda(r, j, x, l, CapturePoint.ATTN_IN);
                for (Linear r : new Linear[] {b.ffnGate(), b.ffnUp()}) hidden[j] += wanda(r, j, x, l, CapturePoint.FFN_IN);
            }
        }
        for (int j = 0; j < d; j++) assertThat(s.hiddenChannels()[j]).as("hidden %d", j).isCloseTo((float) hidden[j], within(1e-4f));
    }
}
