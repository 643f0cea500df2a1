package dev.prune4j.prune.structure.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.forward.CapturePoint;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.Linear;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.model.weights.RandomWeights;
import dev.prune4j.prune.structure.StructureScores;
import dev.prune4j.prune.structure.StructuredPlan;
import dev.prune4j.prune.structure.ToyModels;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlapScorerTest {
    static double columnSquare(Linear l, int j) {
        double s = 0;
        for (int i = 0; i < l.out(); i++) s += Math.pow(l.weight()[i * l.in() + j], 2);
        return s;
    }

    @Test
    void fluctuationIsTwoPassVarianceTimesSquaredColumnNorm() {
        ModelConfig c = ToyModels.gqa();
        ModelWeights w = RandomWeights.create(c, 6);
        int[][] samples = ToyModels.samples(4, 7, c.vocabSize(), 2);
        ScoreSet set = new FlapScorer().score(c, w, samples, ScoreProgress.NONE);
        StructureScores s = set.scores();
        CapturedInputs x = CapturedInputs.of(c, w, samples);
        int hd = c.headDim();
        for (int l = 0; l < c.blockCount(); l++) {
            BlockWeights b = w.blocks()[l];
            double[] head = new double[c.headCount(l)];
            for (int j = 0; j < c.qDim(l); j++) {
                double[] mv = x.meanAndVariance(l, CapturePoint.ATTN_OUTPUT_IN, j);
                double metric = mv[1] * columnSquare(b.attnOutput(), j);
                head[j / hd] += metric * metric;
                assertThat(set.side(ScoreSet.ATTN_OUTPUT_COLUMNS)[l][j]).as("column %d", j)
                        .isCloseTo((float) (metric * metric), within((float) (metric * metric * 1e-4 + 1e-12)));
                assertThat(set.side(ScoreSet.ATTN_OUTPUT_MEANS)[l][j]).isCloseTo((float) mv[0], within(1e-6f));
            }
            for (int h = 0; h < head.length; h++) {
                assertThat(s.queryHeads()[l][h]).as("layer %d head %d", l, h).isCloseTo((float) head[h], within((float) (head[h] * 1e-4)));
            }
            int group = c.headCount(l) / c.headCountKv(l);
            for (int g = 0; g < c.headCountKv(l); g++) {
                double e = head[g * group] + head[g * group + 1];
                assertThat(group).isEqualTo(2);
                assertThat(s.kvHeads()[l][g]).isCloseTo((float) e, within((float) (e * 1e-4)));
            }
            for (int ch = 0; ch < c.feedForwardLength(l); ch++) {
                double[] mv = x.meanAndVariance(l, CapturePoint.FFN_DOWN_IN, ch);
                double metric = mv[1] * columnSquare(b.ffnDown(), ch);
                assertThat(s.ffnChannels()[l][ch]).as("layer %d channel %d", l, ch).isCloseTo((float) metric, within((float) (metric * 1e-4)));
                assertThat(set.side(ScoreSet.FFN_DOWN_MEANS)[l][ch]).isCloseTo((float) mv[0], within(1e-6f));
            }
        }
    }

    /** With the compensating bias, the pruned o_proj and down_proj give the dense mean output on the calibration data. */
    @Test
    void biasCompensationKeepsTheMeanOutputOfEveryPrunedLinear() {
        ModelConfig c = ToyModels.gqa();
        ModelWeights w = RandomWeights.create(c, 7);
        int[][] samples = ToyModels.samples(3, 8, c.vocabSize(), 3);
        ScoreSet set = new FlapScorer().score(c, w, samples, ScoreProgress.NONE);
        int[] ffnKept = java.util.stream.IntStream.range(0, 24).filter(i -> i % 3 != 0).toArray();
        StructuredPlan plan = new StructuredPlan(new int[][] {{0, 2}, {0, 1, 2, 3}}, new int[][] {{0, 1}, {0, 1}},
                new int[][] {ffnKept, java.util.stream.IntStream.range(0, 24).toArray()},
                java.util.stream.IntStream.range(0, 16).toArray(), new boolean[2]);
        plan.validate(c);
        FlapBiasCompensation.Biases biases = FlapBiasCompensation.biases(c, w, plan, set);
        assertThat(biases.attnOutput()[1]).as("layer 1 keeps every head: no bias").isNull();
        assertThat(biases.ffnDown()[1]).as("layer 1 keeps every channel: no bias").isNull();

        CapturedInputs x = CapturedInputs.of(c, w, samples);
        boolean[] keptColumn = new boolean[16];
        for (int h : plan.keptQueryHeads()[0]) for (int k = 0; k < 4; k++) keptColumn[h * 4 + k] = true;
        boolean[] keptChannel = new boolean[24];
        for (int ch : ffnKept) keptChannel[ch] = true;
        assertMeanOutputKept(w.blocks()[0].attnOutput(), keptColumn, biases.attnOutput()[0], x.at(0, CapturePoint.ATTN_OUTPUT_IN));
        assertMeanOutputKept(w.blocks()[0].ffnDown(), keptChannel, biases.ffnDown()[0], x.at(0, CapturePoint.FFN_DOWN_IN));
    }

    static void assertMeanOutputKept(Linear l, boolean[] kept, float[] bias, List<float[]> inputs) {
        for (int i = 0; i < l.out(); i++) {
            double dense = 0, pruned = 0;
            for (float[] row : inputs) {
                for (int j = 0; j < l.in(); j++) {
                    double y = (double) l.weight()[i * l.in() + j] * row[j];
                    dense += y;
                    if (kept[j]) pruned += y;
                }
                pruned += bias[i];
            }
            assertThat(pruned / inputs.size()).as("mean output %d", i).isCloseTo(dense / inputs.size(), within(1e-5));
        }
    }

    @Test
    void compensationNeedsFlapMeans() {
        ModelConfig c = ToyModels.gqa();
        ModelWeights w = RandomWeights.create(c, 7);
        ScoreSet l2 = new L2Scorer().score(c, w, null, ScoreProgress.NONE);
        assertThatThrownBy(() -> FlapBiasCompensation.biases(c, w, StructuredPlan.keepAll(c), l2))
                .hasMessageContaining("input means").hasMessageContaining("l2");
    }
}
