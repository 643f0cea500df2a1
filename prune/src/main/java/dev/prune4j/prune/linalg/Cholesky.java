package dev.prune4j.prune.linalg;

import dev.prune4j.tensor.Parallel;

/**
 * Dense fp64 Cholesky factorisation and what OBS-style pruning builds from it: the inverse of an SPD matrix and the
 * upper factor {@code U} of that inverse ({@code H⁻¹ = UᵀU}), whose trailing blocks give the inverse of every
 * trailing principal sub-matrix of {@code H} (SparseGPT's trick for freezing columns left to right).
 * Matrices are row-major {@code [n, n]}.
 */
public final class Cholesky {
    private Cholesky() {}

    /**
     * The lower factor {@code L} with {@code a = LLᵀ}, as a new matrix (the strict upper triangle is zero).
     *
     * @throws NotPositiveDefiniteException when a pivot is not positive
     */
    public static double[] lower(double[] a, int n) {
        double[] l = new double[n * n];
        for (int j = 0; j < n; j++) {
            int jr = j * n;
            double d = a[jr + j] - DoubleOps.dot(l, jr, l, jr, j);
            if (!(d > 0) || !Double.isFinite(d)) throw new NotPositiveDefiniteException(j, d);
            double ljj = Math.sqrt(d);
            l[jr + j] = ljj;
            final int col = j;
            // left-looking: every row below the pivot needs only rows < col of L, so rows are independent
            Parallel.forRange(n - j - 1, 64, (from, to) -> {
                for (int i = col + 1 + from; i < col + 1 + to; i++) {
                    int ir = i * n;
                    l[ir + col] = (a[ir + col] - DoubleOps.dot(l, ir, l, col * n, col)) / ljj;
                }
            });
        }
        return l;
    }

    /** The inverse of a lower-triangular matrix, lower-triangular itself. */
    public static double[] invertLower(double[] l, int n) {
        double[] x = new double[n * n];
        for (int i = 0; i < n; i++) {
            int ir = i * n;
            // row i of L⁻¹: (e_i − Σ_{k<i} L[i,k]·X[k,:]) / L[i,i], every X[k,:] nonzero only in [0, k]
            for (int k = 0; k < i; k++) {
                double lik = l[ir + k];
                if (lik != 0) DoubleOps.axpy(-lik, x, k * n, x, ir, k + 1);
            }
            x[ir + i] += 1;
            double inv = 1 / l[ir + i];
            for (int c = 0; c <= i; c++) x[ir + c] *= inv;
        }
        return x;
    }

    /** {@code a⁻¹} for SPD {@code a}, through its Cholesky factor: {@code a⁻¹ = L⁻ᵀ L⁻¹}. */
    public static double[] inverse(double[] a, int n) {
        double[] x = invertLower(lower(a, n), n);
        double[] inv = new double[n * n];
        // inv[p,q] = Σ_{i ≥ max(p,q)} X[i,p]·X[i,q]; each thread owns whole rows p of the result
        Parallel.forRange(n, 16, (from, to) -> {
            for (int p = from; p < to; p++) {
                int pr = p * n;
                for (int i = p; i < n; i++) {
                    double xip = x[i * n + p];
                    if (xip != 0) DoubleOps.axpy(xip, x, i * n, inv, pr, i + 1);
                }
            }
        });
        // rows p got columns q ≤ i for i ≥ p; columns q > p of row p need rows i ≥ q, which the loop covered too,
        // so the result is already full and symmetric up to rounding; symmetrise exactly
        for (int p = 0; p < n; p++) {
            for (int q = p + 1; q < n; q++) {
                double v = 0.5 * (inv[p * n + q] + inv[q * n + p]);
                inv[p * n + q] = v;
                inv[q * n + p] = v;
            }
        }
        return inv;
    }

    /** The upper factor {@code U} of {@code a⁻¹ = UᵀU}, for SPD {@code a}. */
    public static double[] upperOfInverse(double[] a, int n) {
        double[] l = lower(inverse(a, n), n);
        return transpose(l, n);
    }

    /**
     * Solves {@code a·x = b} for SPD {@code a} on the calling thread (the small per-row systems of the pruners, which
     * already run rows in parallel). {@code a} is overwritten by its lower factor, {@code b} by the solution.
     */
    public static void solveInPlace(double[] a, int n, double[] b) {
        for (int j = 0; j < n; j++) {
            int jr = j * n;
            double d = a[jr + j] - DoubleOps.dot(a, jr, a, jr, j);
            if (!(d > 0) || !Double.isFinite(d)) throw new NotPositiveDefiniteException(j, d);
            double ljj = Math.sqrt(d);
            a[jr + j] = ljj;
            for (int i = j + 1; i < n; i++) {
                int ir = i * n;
                a[ir + j] = (a[ir + j] - DoubleOps.dot(a, ir, a, jr, j)) / ljj;
            }
        }
        for (int i = 0; i < n; i++) b[i] = (b[i] - DoubleOps.dot(a, i * n, b, 0, i)) / a[i * n + i];
        // Lᵀx = y, one row of L at a time so that every access is contiguous
        for (int i = n - 1; i >= 0; i--) {
            b[i] /= a[i * n + i];
            DoubleOps.axpy(-b[i], a, i * n, b, 0, i);
        }
    }

    static double[] transpose(double[] a, int n) {
        double[] t = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) t[j * n + i] = a[i * n + j];
        }
        return t;
    }
}
