package dev.prune4j.prune.structure.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ChannelMomentsTest {
    /** A large common offset must not cancel the variance, and the split into batches must not matter. */
    @Test
    void matchesTwoPassVarianceWhateverTheBatches() {
        Random r = new Random(5);
        int cols = 3, rows = 101;
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) x[i] = 1000f + (i % cols) + (float) r.nextGaussian() * 0.01f * (1 + i % cols);
        double[] mean = new double[cols], var = new double[cols];
        for (int i = 0; i < rows; i++) for (int c = 0; c < cols; c++) mean[c] += x[i * cols + c] / (double) rows;
        for (int i = 0; i < rows; i++) for (int c = 0; c < cols; c++) var[c] += Math.pow(x[i * cols + c] - mean[c], 2) / (rows - 1);

        for (int[] splits : new int[][] {{rows}, {1, 100}, {50, 1, 50}, {7, 7, 7, 80}}) {
            ChannelMoments m = new ChannelMoments(cols);
            int from = 0;
            for (int n : splits) {
                m.add(java.util.Arrays.copyOfRange(x, from * cols, (from + n) * cols), n);
                from += n;
            }
            assertThat(m.count()).isEqualTo(rows);
            for (int c = 0; c < cols; c++) {
                assertThat(m.mean()[c]).as("mean %d", c).isCloseTo(mean[c], within(1e-9));
                assertThat(m.variance()[c]).as("variance %d with splits %s", c, java.util.Arrays.toString(splits))
                        .isCloseTo(var[c], within(var[c] * 1e-9));
            }
        }
    }
}
