package dev.prune4j.prune.structure.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.Linear;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.model.weights.RandomWeights;
import dev.prune4j.prune.structure.StructuredPlan;
import dev.prune4j.prune.structure.ToyModels;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ParameterCountTest {
    /** Entries of a [out, in] weight whose row and column both survive. */
    static long surviving(Linear l, boolean[] rows, boolean[] cols) {
        long n = 0;
        for (int i = 0; i < l.out(); i++) for (int j = 0; j < l.in(); j++) if (rows[i] && cols[j]) n++;
        return n;
    }

    static boolean[] heads(int[] kept, int count, int hd) {
        boolean[] b = new boolean[count * hd];
        for (int h : kept) Arrays.fill(b, h * hd, (h + 1) * hd, true);
        return b;
    }

    static boolean[] of(int[] kept, int n) {
        boolean[] b = new boolean[n];
        for (int i : kept) b[i] = true;
        return b;
    }

    @Test
    void countsTheSevenBlockLinearsAndWhatAPlanRemovesFromThem() {
        ModelConfig c = ToyModels.config(3, 16, new int[] {4, 2, 6}, new int[] {2, 1, 3}, new int[] {24, 16, 40}, 4);
        ModelWeights w = RandomWeights.create(c, 1);
        long dense = 0;
        for (BlockWeights b : w.blocks()) {
            for (Linear l : new Linear[] {b.attnQ(), b.attnK(), b.attnV(), b.attnOutput(), b.ffnGate(), b.ffnUp(), b.ffnDown()}) {
                dense += l.weight().length;
            }
        }
        assertThat(ParameterCount.total(c)).isEqualTo(dense);

        StructuredPlan plan = new StructuredPlan(new int[][] {{0, 2}, {0, 1}, {0, 1, 2, 3, 4, 5}}, new int[][] {{0, 1}, {0}, {0, 1, 2}},
                new int[][] {{1, 2, 3, 5, 8, 13, 21, 23}, {0}, new int[0]}, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 9, 11, 13, 15},
                new boolean[] {false, false, true});
        plan.validate(c);
        boolean[] hidden = of(plan.keptHiddenChannels(), 16);
        long kept = 0;
        for (int l = 0; l < 2; l++) {
            BlockWeights b = w.blocks()[l];
            boolean[] q = heads(plan.keptQueryHeads()[l], c.headCount(l), 4), kv = heads(plan.keptKvHeads()[l], c.headCountKv(l), 4);
            boolean[] ffn = of(plan.keptFfnChannels()[l], c.feedForwardLength(l));
            kept += surviving(b.attnQ(), q, hidden) + surviving(b.attnK(), kv, hidden) + surviving(b.attnV(), kv, hidden)
                    + surviving(b.attnOutput(), hidden, q) + surviving(b.ffnGate(), ffn, hidden) + surviving(b.ffnUp(), ffn, hidden)
                    + surviving(b.ffnDown(), hidden, ffn);
        }
        assertThat(ParameterCount.removed(c, plan)).isEqualTo(dense - kept);
        assertThat(ParameterCount.removed(c, StructuredPlan.keepAll(c))).isZero();
    }
}
