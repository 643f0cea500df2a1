package dev.prune4j.prune.structure.score;

/**
 * Running mean and sample variance of every column of a stream of activation rows, in fp64. Each batch is reduced
 * exactly (two passes over the batch) and merged with Chan et al.'s pairwise update, so the result does not depend on
 * how the tokens were split into batches and does not cancel when the mean is large against the spread.
 */
public final class ChannelMoments {
    private final int columns;
    private final double[] mean; // [columns]
    private final double[] m2;   // [columns] Σ (x − mean)²
    private long count;

    public ChannelMoments(int columns) {
        this.columns = columns;
        this.mean = new double[columns];
        this.m2 = new double[columns];
    }

    /** @param x [rows, columns] row-major, one row per token */
    public void add(float[] x, int rows) {
        if (rows == 0) return;
        double[] bMean = new double[columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0, off = r * columns; c < columns; c++) bMean[c] += x[off + c];
        }
        for (int c = 0; c < columns; c++) bMean[c] /= rows;
        double[] bM2 = new double[columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0, off = r * columns; c < columns; c++) {
                double dev = x[off + c] - bMean[c];
                bM2[c] += dev * dev;
            }
        }
        long n = count + rows;
        for (int c = 0; c < columns; c++) {
            double delta = bMean[c] - mean[c];
            mean[c] += delta * rows / n;
            m2[c] += bM2[c] + delta * delta * ((double) count * rows / n);
        }
        count = n;
    }

    public long count() { return count; }

    /** @return [columns] the mean of each column */
    public double[] mean() { return mean.clone(); }

    /** @return [columns] the sample variance {@code Σ (x − mean)² / (n − 1)} of each column (0 for fewer than 2 rows) */
    public double[] variance() {
        double[] v = new double[columns];
        if (count < 2) return v;
        for (int c = 0; c < columns; c++) v[c] = m2[c] / (count - 1);
        return v;
    }
}
