package dev.prune4j.model.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SamplerTest {
    private static final float[] LOGITS = {0.1f, 2.5f, 2.4f, -1f, 0f};

    @Test
    void temperatureZeroIsArgmax() {
        assertThat(new Sampler(0, 1, 0).sample(LOGITS, 0, 5)).isEqualTo(1);
    }

    @Test
    void sameSeedSameSequenceAndFrequenciesFollowTheSoftmax() {
        Sampler a = new Sampler(1, 1, 42), b = new Sampler(1, 1, 42);
        int[] counts = new int[5];
        for (int i = 0; i < 20000; i++) {
            int x = a.sample(LOGITS, 0, 5);
            assertThat(b.sample(LOGITS, 0, 5)).isEqualTo(x);
            counts[x]++;
        }
        double z = 0;
        for (float l : LOGITS) z += Math.exp(l);
        assertThat(counts[1] / 20000.0).isCloseTo(Math.exp(2.5) / z, org.assertj.core.data.Offset.offset(0.015));
    }

    @Test
    void topPKeepsOnlyTheNucleus() {
        Sampler s = new Sampler(1, 0.5f, 1); // tokens 1 and 2 carry > 50% of the mass together; 1 alone has < 50%
        for (int i = 0; i < 2000; i++) assertThat(s.sample(LOGITS, 0, 5)).isIn(1, 2);
    }

    @Test
    void refusesBadParameters() {
        assertThatThrownBy(() -> new Sampler(-1, 1, 0)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> new Sampler(1, 0, 0)).hasMessageContaining("top-p");
    }
}
