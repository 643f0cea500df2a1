package dev.prune4j.eval.zeroshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Binomial uncertainty against values worked out by hand. */
class ProportionTest {
    @Test
    void stderrIsTheSampleStandardErrorAsLmEvalReportsIt() {
        // p = 0.8, sqrt(0.8 * 0.2 / 9) = 0.133333...
        assertThat(new Proportion(8, 10).stderr()).isCloseTo(0.1333333, within(1e-6));
        assertThat(new Proportion(300, 400).stderr()).isCloseTo(Math.sqrt(0.75 * 0.25 / 399), within(1e-12));
    }

    @Test
    void wilsonIntervalMatchesTheTextbookValues() {
        // 8/10: centre (0.8 + 1.92/10) / 1.384 = 0.7167, half 1.96/1.384 * sqrt(0.016 + 0.00960) = 0.2266
        double[] ci = new Proportion(8, 10).wilson95();
        assertThat(ci[0]).isCloseTo(0.4902, within(1e-4));
        assertThat(ci[1]).isCloseTo(0.9433, within(1e-4));
        // 0/20 still has an upper bound: z²/(n+z²) = 3.8415/23.8415
        double[] zero = new Proportion(0, 20).wilson95();
        assertThat(zero[0]).isEqualTo(0.0);
        assertThat(zero[1]).isCloseTo(0.1611, within(1e-4));
    }
}
