package dev.prune4j.prune.method;

import dev.prune4j.prune.calib.InputStatistics;
import java.util.Random;

/** A random linear layer with correlated, unevenly scaled inputs, and exact reconstruction errors on them. */
final class LayerFixture {
    final int rows, columns, tokens;
    final float[] weight; // [rows, columns]
    final float[] inputs; // [tokens, columns]

    LayerFixture(int rows, int columns, int tokens, long seed) {
        this.rows = rows;
        this.columns = columns;
        this.tokens = tokens;
        Random rnd = new Random(seed);
        weight = new float[rows * columns];
        for (int i = 0; i < weight.length; i++) weight[i] = (float) rnd.nextGaussian();
        // inputs = Z·A with a mixing matrix (correlated columns) and per-column scales spanning two decades, so that
        // the Hessian is far from diagonal and activation-aware methods have something to find
        float[] mix = new float[columns * columns];
        for (int i = 0; i < mix.length; i++) mix[i] = (float) (rnd.nextGaussian() * 0.3);
        for (int j = 0; j < columns; j++) mix[j * columns + j] += 1;
        double[] scale = new double[columns];
        for (int j = 0; j < columns; j++) scale[j] = Math.pow(10, 2 * rnd.nextDouble() - 1);
        inputs = new float[tokens * columns];
        for (int t = 0; t < tokens; t++) {
            double[] z = new double[columns];
            for (int j = 0; j < columns; j++) z[j] = rnd.nextGaussian();
            for (int j = 0; j < columns; j++) {
                double s = 0;
                for (int k = 0; k < columns; k++) s += z[k] * mix[k * columns + j];
                inputs[t * columns + j] = (float) (s * scale[j]);
            }
        }
    }

    InputStatistics stats() {
        InputStatistics s = InputStatistics.full(columns);
        int batch = 64;
        for (int t = 0; t < tokens; t += batch) {
            int n = Math.min(batch, tokens - t);
            float[] part = new float[n * columns];
            System.arraycopy(inputs, t * columns, part, 0, part.length);
            s.add(part, n);
        }
        return s;
    }

    /** {@code ‖(W − Ŵ)Xᵀ‖²}, straight from the inputs. */
    double error(float[] pruned) {
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < tokens; t++) {
                double d = 0;
                for (int j = 0; j < columns; j++) {
                    d += (weight[r * columns + j] - pruned[r * columns + j]) * (double) inputs[t * columns + j];
                }
                sum += d * d;
            }
        }
        return sum;
    }

    float[] copy() {
        return weight.clone();
    }
}
