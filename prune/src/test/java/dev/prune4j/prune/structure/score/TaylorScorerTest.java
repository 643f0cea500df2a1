package dev.prune4j.prune.structure.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.prune4j.model.arch.TensorRole;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.Linear;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.model.weights.RandomWeights;
import dev.prune4j.prune.structure.StructureScores;
import dev.prune4j.prune.structure.ToyModels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaylorScorerTest {
    static final ModelConfig C = ToyModels.gqa();

    @FunctionalInterface
    interface Term {
        double apply(double w, double g, double fisher);
    }

    /** A row or column of one linear: the indices of its weights. */
    record Slice(int layer, TensorRole role, Linear linear, int index, boolean row) {
        int[] entries() {
            int n = row ? linear.in() : linear.out();
            int[] e = new int[n];
            for (int k = 0; k < n; k++) e[k] = row ? index * linear.in() + k : k * linear.in() + index;
            return e;
        }

        /** Σ over the slice of f(w, g, F). */
        double sum(TaylorGradients g, Term f) {
            float[] grad = g.gradient(layer, role), fisher = g.fisher(layer, role);
            double s = 0;
            for (int k : entries()) s += f.apply(linear.weight()[k], grad[k], fisher == null ? 0 : fisher[k]);
            return s;
        }
    }

    /** Loss after scaling every slice by {@code factor} (restored afterwards). */
    static double scaledLoss(ModelWeights w, int[][] samples, List<Slice> slices, double factor) {
        List<float[]> saved = new ArrayList<>();
        for (Slice s : slices) {
            float[] copy = s.linear.weight().clone();
            saved.add(copy);
            for (int k : s.entries()) s.linear.weight()[k] = (float) (copy[k] * factor);
        }
        double loss = ToyModels.loss(C, w, samples);
        for (int i = slices.size() - 1; i >= 0; i--) System.arraycopy(saved.get(i), 0, slices.get(i).linear.weight(), 0, saved.get(i).length);
        return loss;
    }

    /** dL/dα of scaling the slices by α, at α = 1, by central differences of the inference forward's loss. */
    static double directional(ModelWeights w, int[][] samples, List<Slice> slices) {
        double eps = 1e-2;
        return (scaledLoss(w, samples, slices, 1 + eps) - scaledLoss(w, samples, slices, 1 - eps)) / (2 * eps);
    }

    static List<Slice> ffnGroup(BlockWeights b, int layer, int c) {
        return List.of(new Slice(layer, TensorRole.FFN_GATE, b.ffnGate(), c, true), new Slice(layer, TensorRole.FFN_UP, b.ffnUp(), c, true),
                new Slice(layer, TensorRole.FFN_DOWN, b.ffnDown(), c, false));
    }

    /** The gradient of the training engine agrees with finite differences of the independent inference forward. */
    @Test
    void gradientAlongEverySliceKindMatchesFiniteDifferences() {
        ModelWeights w = RandomWeights.create(C, 9);
        int[][] samples = ToyModels.samples(4, 12, C.vocabSize(), 5);
        TaylorGradients g = TaylorGradients.compute(C, w, samples, false, ScoreProgress.NONE);
        assertThat(g.meanLoss()).isCloseTo(ToyModels.loss(C, w, samples), within(1e-5));
        BlockWeights b0 = w.blocks()[0], b1 = w.blocks()[1];
        List<Slice> slices = List.of(new Slice(0, TensorRole.ATTN_Q, b0.attnQ(), 5, true), new Slice(1, TensorRole.ATTN_K, b1.attnK(), 2, true),
                new Slice(0, TensorRole.ATTN_V, b0.attnV(), 7, true), new Slice(1, TensorRole.ATTN_OUTPUT, b1.attnOutput(), 3, false),
                new Slice(0, TensorRole.FFN_GATE, b0.ffnGate(), 11, true), new Slice(1, TensorRole.FFN_UP, b1.ffnUp(), 0, true),
                new Slice(1, TensorRole.FFN_DOWN, b1.ffnDown(), 23, false));
        for (Slice s : slices) {
            double wg = s.sum(g, (wi, gi, fi) -> wi * gi);
            assertThat(wg).as("Σ w·g along %s %s %d", s.role, s.row ? "row" : "column", s.index)
                    .isCloseTo(directional(w, samples, List.of(s)), within(2e-5 + 1e-3 * Math.abs(wg)));
        }
    }

    /** The Fisher diagonal is the mean of the squared per-sequence gradients; g their (equal-length) mean. */
    @Test
    void fisherIsTheMeanSquaredPerSequenceGradient() {
        ModelWeights w = RandomWeights.create(C, 10);
        int[][] samples = ToyModels.samples(3, 6, C.vocabSize(), 6);
        TaylorGradients all = TaylorGradients.compute(C, w, samples, true, ScoreProgress.NONE);
        float[][] single = new float[3][];
        for (int n = 0; n < 3; n++) {
            single[n] = TaylorGradients.compute(C, w, new int[][] {samples[n]}, false, ScoreProgress.NONE).gradient(1, TensorRole.ATTN_V);
        }
        float[] f = all.fisher(1, TensorRole.ATTN_V), g = all.gradient(1, TensorRole.ATTN_V);
        for (int i = 0; i < f.length; i++) {
            double mean = 0, sq = 0;
            for (float[] s : single) {
                mean += s[i] / 3.0;
                sq += (double) s[i] * s[i] / 3.0;
            }
            assertThat(g[i]).isCloseTo((float) mean, within(1e-6f));
            assertThat(f[i]).isCloseTo((float) sq, within((float) (1e-5 * sq + 1e-12)));
        }
        assertThat(all.gradient(0, TensorRole.FFN_DOWN)).isNotNull();
        assertThat(TaylorGradients.compute(C, w, samples, false, ScoreProgress.NONE).fisher(0, TensorRole.ATTN_Q)).isNull();
    }

    /** Group scores equal the per-slice formulas combined per channel position as LLM-Pruner does. */
    @Test
    void groupScoresEqualBruteForceForEveryVariantAndReduction() {
        ModelWeights w = RandomWeights.create(C, 11);
        int[][] samples = ToyModels.samples(2, 8, C.vocabSize(), 7);
        TaylorGradients g = TaylorGradients.compute(C, w, samples, true, ScoreProgress.NONE);
        int hd = C.headDim();
        for (TaylorVariant v : TaylorVariant.values()) {
            for (GroupReduction r : new GroupReduction[] {GroupReduction.SUM, GroupReduction.MAX}) {
                StructureScores s = new TaylorScorer(v, r).score(C, w, g).scores();
                for (int l = 0; l < 2; l++) {
                    BlockWeights b = w.blocks()[l];
                    for (int h = 0; h < 4; h++) {
                        double e = 0;
                        for (int c = 0; c < hd; c++) {
                            e += reduce(r, slice(v, g, new Slice(l, TensorRole.ATTN_Q, b.attnQ(), h * hd + c, true)),
                                    slice(v, g, new Slice(l, TensorRole.ATTN_OUTPUT, b.attnOutput(), h * hd + c, false)));
                        }
                        assertThat(s.queryHeads()[l][h]).as("%s %s layer %d head %d", v, r, l, h).isCloseTo((float) e, within((float) (1e-5 * e + 1e-9)));
                    }
                    for (int kv = 0; kv < 2; kv++) {
                        double e = 0;
                        for (int c = 0; c < hd; c++) {
                            e += reduce(r, slice(v, g, new Slice(l, TensorRole.ATTN_K, b.attnK(), kv * hd + c, true)),
                                    slice(v, g, new Slice(l, TensorRole.ATTN_V, b.attnV(), kv * hd + c, true)),
                                    slice(v, g, new Slice(l, TensorRole.ATTN_Q, b.attnQ(), 2 * kv * hd + c, true)),
                                    slice(v, g, new Slice(l, TensorRole.ATTN_OUTPUT, b.attnOutput(), 2 * kv * hd + c, false)),
                                    slice(v, g, new Slice(l, TensorRole.ATTN_Q, b.attnQ(), (2 * kv + 1) * hd + c, true)),
                                    slice(v, g, new Slice(l, TensorRole.ATTN_OUTPUT, b.attnOutput(), (2 * kv + 1) * hd + c, false)));
                        }
                        assertThat(s.kvHeads()[l][kv]).as("%s %s layer %d KV head %d", v, r, l, kv).isCloseTo((float) e, within((float) (1e-5 * e + 1e-9)));
                    }
                    for (int ch = 0; ch < 24; ch++) {
                        List<Slice> group = ffnGroup(b, l, ch);
                        double e = reduce(r, slice(v, g, group.get(0)), slice(v, g, group.get(1)), slice(v, g, group.get(2)));
                        assertThat(s.ffnChannels()[l][ch]).as("%s %s layer %d channel %d", v, r, l, ch).isCloseTo((float) e, within((float) (1e-5 * e + 1e-9)));
                    }
                }
            }
        }
    }

    static double slice(TaylorVariant v, TaylorGradients g, Slice s) {
        return switch (v) {
            case VECTOR -> Math.abs(s.sum(g, (wi, gi, fi) -> wi * gi));
            case ELEMENT1 -> s.sum(g, (wi, gi, fi) -> Math.abs(wi * gi));
            case ELEMENT2 -> s.sum(g, (wi, gi, fi) -> Math.abs(wi * gi - 0.5 * fi * wi * wi));
        };
    }

    static double reduce(GroupReduction r, double... members) {
        double sum = 0, max = 0;
        for (double m : members) {
            sum += m;
            max = Math.max(max, m);
        }
        return r == GroupReduction.SUM ? sum : max;
    }

    /**
     * To first order, shrinking an FFN channel's group by ε changes the loss by ε·Σ w·g over the group; the vector
     * score bounds that change, and the channel it ranks lowest is the one whose shrinking changes the loss least.
     */
    @Test
    void theLowestVectorScoredChannelChangesTheLossLeastToFirstOrder() {
        ModelWeights w = RandomWeights.create(C, 9);
        int[][] samples = ToyModels.samples(4, 12, C.vocabSize(), 5);
        TaylorGradients g = TaylorGradients.compute(C, w, samples, false, ScoreProgress.NONE);
        float[] vector = new TaylorScorer(TaylorVariant.VECTOR, GroupReduction.SUM).score(C, w, g).scores().ffnChannels()[0];
        double[] change = new double[24];
        int lowest = 0, least = 0;
        for (int ch = 0; ch < 24; ch++) {
            change[ch] = Math.abs(directional(w, samples, ffnGroup(w.blocks()[0], 0, ch)));
            assertThat(change[ch]).as("channel %d: first-order change within its vector score", ch).isLessThanOrEqualTo(vector[ch] * (1 + 1e-3) + 1e-5);
            if (vector[ch] < vector[lowest]) lowest = ch;
            if (change[ch] < change[least]) least = ch;
        }
        assertThat(lowest).as("lowest vector score vs least loss change %s", java.util.Arrays.toString(change)).isEqualTo(least);
    }
}
