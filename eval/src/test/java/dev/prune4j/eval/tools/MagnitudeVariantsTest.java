package dev.prune4j.eval.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.model.weights.RandomWeights;
import org.junit.jupiter.api.Test;

/** The demo's magnitude pruning zeroes exactly the requested share of each block linear, smallest first. */
class MagnitudeVariantsTest {
    @Test
    void zeroesExactlyTheSmallestMagnitudes() {
        float[] w = {0.5f, -0.1f, 0.3f, -0.7f, 0.2f, 0.1f, -0.4f, 0.6f};
        MagnitudeVariants.zeroSmallest(w, 3);
        // |w| sorted: 0.1 (idx 1), 0.1 (idx 5), 0.2 (idx 4), ... ; ties broken by index
        assertThat(w).containsExactly(0.5f, 0f, 0.3f, -0.7f, 0f, 0f, -0.4f, 0.6f);
    }

    @Test
    void eachLinearGetsItsOwnShareAndOtherWeightsStay() {
        ModelConfig c = dev.prune4j.eval.zeroshot.TinyModels.config();
        ModelWeights w = RandomWeights.create(c, 7);
        float[] qBefore = w.blocks()[1].attnQ().weight().clone();
        float[] embdBefore = w.tokenEmbd().clone();
        MagnitudeVariants.prune(w, 0.7);
        for (BlockWeights b : w.blocks()) {
            float[] q = b.ffnDown().weight();
            long zeros = 0;
            for (float v : q) if (v == 0f) zeros++;
            assertThat(zeros).isEqualTo((long) Math.floor(0.7 * q.length));
        }
        float[] q = w.blocks()[1].attnQ().weight();
        float threshold = 0;
        for (int i = 0; i < q.length; i++) if (q[i] == 0f) threshold = Math.max(threshold, Math.abs(qBefore[i]));
        for (int i = 0; i < q.length; i++) {
            if (q[i] != 0f) {
                assertThat(q[i]).isEqualTo(qBefore[i]);
                assertThat(Math.abs(q[i])).isGreaterThanOrEqualTo(threshold);
            }
        }
        assertThat(w.tokenEmbd()).isEqualTo(embdBefore);
    }
}
