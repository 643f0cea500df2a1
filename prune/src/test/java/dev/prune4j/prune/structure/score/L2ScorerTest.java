package dev.prune4j.prune.structure.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.Linear;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.model.weights.RandomWeights;
import dev.prune4j.prune.structure.StructureScores;
import dev.prune4j.prune.structure.ToyModels;
import org.junit.jupiter.api.Test;

class L2ScorerTest {
    /** Σ W[r,c]² over a block of rows and columns. */
    static double sq(Linear l, int r0, int r1, int c0, int c1) {
        double s = 0;
        for (int r = r0; r < r1; r++) for (int c = c0; c < c1; c++) s += Math.pow(l.weight()[r * l.in() + c], 2);
        return s;
    }

    @Test
    void everyGroupIsTheNormOfTheWeightsItOwns() {
        ModelConfig c = ToyModels.gqa();
        ModelWeights w = RandomWeights.create(c, 3);
        StructureScores s = new L2Scorer().score(c, w, null, ScoreProgress.NONE).scores();
        int hd = c.headDim(), d = c.embeddingLength();
        double[] hidden = new double[d];
        for (int l = 0; l < c.blockCount(); l++) {
            BlockWeights b = w.blocks()[l];
            int q = c.qDim(l), kv = c.kvDim(l), f = c.feedForwardLength(l), group = c.headCount(l) / c.headCountKv(l);
            double[] head = new double[c.headCount(l)];
            for (int h = 0; h < head.length; h++) {
                head[h] = sq(b.attnQ(), h * hd, (h + 1) * hd, 0, d) + sq(b.attnOutput(), 0, d, h * hd, (h + 1) * hd);
                assertThat(s.queryHeads()[l][h]).as("layer %d head %d", l, h).isCloseTo((float) Math.sqrt(head[h]), within(1e-5f));
            }
            for (int g = 0; g < c.headCountKv(l); g++) {
                double e = sq(b.attnK(), g * hd, (g + 1) * hd, 0, d) + sq(b.attnV(), g * hd, (g + 1) * hd, 0, d);
                for (int h = g * group; h < (g + 1) * group; h++) e += head[h];
                assertThat(s.kvHeads()[l][g]).as("layer %d KV head %d", l, g).isCloseTo((float) Math.sqrt(e), within(1e-5f));
            }
            for (int ch = 0; ch < f; ch++) {
                double e = sq(b.ffnGate(), ch, ch + 1, 0, d) + sq(b.ffnUp(), ch, ch + 1, 0, d) + sq(b.ffnDown(), 0, d, ch, ch + 1);
                assertThat(s.ffnChannels()[l][ch]).as("layer %d channel %d", l, ch).isCloseTo((float) Math.sqrt(e), within(1e-5f));
            }
            for (int j = 0; j < d; j++) {
                hidden[j] += sq(b.attnQ(), 0, q, j, j + 1) + sq(b.attnK(), 0, kv, j, j + 1) + sq(b.attnV(), 0, kv, j, j + 1)
                        + sq(b.ffnGate(), 0, f, j, j + 1) + sq(b.ffnUp(), 0, f, j, j + 1)
                        + sq(b.attnOutput(), j, j + 1, 0, q) + sq(b.ffnDown(), j, j + 1, 0, f)
                        + Math.pow(b.attnNorm()[j], 2) + Math.pow(b.ffnNorm()[j], 2);
            }
        }
        Linear embd = new Linear(c.vocabSize(), d, w.tokenEmbd(), null);
        for (int j = 0; j < d; j++) {
            double e = hidden[j] + sq(embd, 0, c.vocabSize(), j, j + 1) + Math.pow(w.outputNorm()[j], 2)
                    + sq(w.output(), 0, c.vocabSize(), j, j + 1);
            assertThat(s.hiddenChannels()[j]).as("hidden %d", j).isCloseTo((float) Math.sqrt(e), within(1e-4f));
        }
        assertThat(s.layers()).isNull();
    }
}
