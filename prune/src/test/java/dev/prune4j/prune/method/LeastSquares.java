package dev.prune4j.prune.method;

/** An independent least-squares solver for tests: normal equations from the raw inputs, Gaussian elimination. */
final class LeastSquares {
    private LeastSquares() {}

    /** Per row, the weights minimising {@code ‖(ŵ − w)Xᵀ‖²} with {@code ŵ[mask] = 0}. */
    static double[] maskedOptimum(float[] w, float[] x, int rows, int columns, int tokens, boolean[] mask) {
        double[] out = new double[rows * columns];
        for (int r = 0; r < rows; r++) {
            int rowStart = r * columns;
            int[] free = java.util.stream.IntStream.range(0, columns).filter(j -> !mask[rowStart + j]).toArray();
            int f = free.length;
            double[] target = new double[tokens]; // the dense row's outputs
            for (int t = 0; t < tokens; t++) {
                double s = 0;
                for (int j = 0; j < columns; j++) s += w[r * columns + j] * (double) x[t * columns + j];
                target[t] = s;
            }
            double[][] a = new double[f][f + 1];
            for (int p = 0; p < f; p++) {
                for (int q = 0; q < f; q++) {
                    double s = 0;
                    for (int t = 0; t < tokens; t++) s += (double) x[t * columns + free[p]] * x[t * columns + free[q]];
                    a[p][q] = s;
                }
                double s = 0;
                for (int t = 0; t < tokens; t++) s += x[t * columns + free[p]] * target[t];
                a[p][f] = s;
            }
            for (int c = 0; c < f; c++) { // elimination with partial pivoting
                int piv = c;
                for (int i = c + 1; i < f; i++) if (Math.abs(a[i][c]) > Math.abs(a[piv][c])) piv = i;
                double[] tmp = a[c];
                a[c] = a[piv];
                a[piv] = tmp;
                for (int i = c + 1; i < f; i++) {
                    double factor = a[i][c] / a[c][c];
                    for (int k = c; k <= f; k++) a[i][k] -= factor * a[c][k];
                }
            }
            double[] sol = new double[f];
            for (int i = f - 1; i >= 0; i--) {
                double s = a[i][f];
                for (int k = i + 1; k < f; k++) s -= a[i][k] * sol[k];
                sol[i] = s / a[i][i];
            }
            for (int p = 0; p < f; p++) out[r * columns + free[p]] = sol[p];
        }
        return out;
    }
}
