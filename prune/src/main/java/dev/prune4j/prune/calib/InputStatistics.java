package dev.prune4j.prune.calib;

import dev.prune4j.tensor.kernels.Gemm;

/**
 * The calibration statistics of one linear input: the running mean of {@code x xᵀ} over tokens, kept in fp64.
 * Every method reads what it needs from it: Wanda the diagonal (squared input norms), SparseGPT and APT the whole
 * matrix ({@code H = 2·mean(x xᵀ)} up to a factor that no method's result depends on), the report the
 * reconstruction error {@code tr(Δ·G·Δᵀ)}.
 */
public final class InputStatistics {
    private final int columns;
    private final boolean full;
    private final double[] gram;      // [columns, columns] when full, else [columns] (the diagonal)
    private long tokens;
    private float[] scratch;          // [columns, columns] fp32 Gram of one batch

    private InputStatistics(int columns, boolean full) {
        this.columns = columns;
        this.full = full;
        this.gram = new double[full ? columns * columns : columns];
    }

    /** Statistics with the whole second-moment matrix (SparseGPT, APT, reconstruction error). */
    public static InputStatistics full(int columns) {
        return new InputStatistics(columns, true);
    }

    /** Statistics with only the diagonal (Wanda, OWL): no {@code columns²} memory or time. */
    public static InputStatistics diagonal(int columns) {
        return new InputStatistics(columns, false);
    }

    /**
     * Adds a batch of inputs. The batch's Gram matrix is formed in fp32 by the GEMM kernel (each entry sums at most
     * one batch of tokens) and folded into the fp64 running mean.
     *
     * @param x [rows, columns] one row per token
     */
    public void add(float[] x, int rows) {
        if (rows == 0) return;
        double keep = (double) tokens / (tokens + rows);
        double scale = 1.0 / (tokens + rows);
        tokens += rows;
        if (full) {
            if (scratch == null) scratch = new float[columns * columns];
            Gemm.tn(x, columns, rows, x, columns, scratch);
            for (int i = 0; i < gram.length; i++) gram[i] = gram[i] * keep + scratch[i] * scale;
        } else {
            double[] sums = new double[columns];
            for (int r = 0; r < rows; r++) {
                int off = r * columns;
                for (int c = 0; c < columns; c++) {
                    double v = x[off + c];
                    sums[c] += v * v;
                }
            }
            for (int c = 0; c < columns; c++) gram[c] = gram[c] * keep + sums[c] * scale;
        }
    }

    /** Drops the fp32 batch buffer once accumulation is over. */
    public void finish() {
        scratch = null;
    }

    public int columns() {
        return columns;
    }

    public long tokens() {
        return tokens;
    }

    public boolean hasFullMatrix() {
        return full;
    }

    /** {@code mean(x xᵀ)}: [columns, columns], live (callers copy before modifying). */
    public double[] secondMoment() {
        if (!full) throw new IllegalStateException("only the diagonal was accumulated");
        return gram;
    }

    /** {@code mean(x_j²)} per input column. */
    public double[] meanSquares() {
        if (!full) return gram.clone();
        double[] d = new double[columns];
        for (int j = 0; j < columns; j++) d[j] = gram[j * columns + j];
        return d;
    }

    /** Builds statistics straight from a known second-moment matrix (tests and tools). */
    public static InputStatistics ofSecondMoment(double[] moment, int columns, long tokens) {
        InputStatistics s = full(columns);
        System.arraycopy(moment, 0, s.gram, 0, moment.length);
        s.tokens = tokens;
        return s;
    }
}
