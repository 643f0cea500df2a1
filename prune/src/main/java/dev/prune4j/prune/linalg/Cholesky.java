package dev.prune4j.prune.linalg;

import dev.prune4j.tensor.Parallel;

/**
 * Dense fp64 Cholesky factorisation and what OBS-style pruning builds from it: small SPD solves and the upper factor
 * {@code U} of an SPD matrix's inverse ({@code H⁻¹ = UᵀU}), whose trailing blocks give the inverse of every
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
        // Left-looking in panels of PANEL columns: every row below a panel reads its computed prefix once for all the
        // panel's columns (one dot product per column would stream the whole prefix per column: memory-bound).
        for (int j0 = 0; j0 < n; j0 += PANEL) {
            int width = Math.min(PANEL, n - j0);
            for (int r = j0; r < j0 + width; r++) panelRow(a, l, n, j0, width, r);
            int first = j0 + width;
            int panel = j0;
            Parallel.forRange(n - first, 32, (from, to) -> {
                for (int i = first + from; i < first + to; i++) panelRow(a, l, n, panel, width, i);
            });
        }
        return l;
    }

    private static final int PANEL = 4;

    /**
     * Entries {@code L[i, j0 .. j0+width)} (only up to the diagonal when row {@code i} is inside the panel), from the
     * prefix {@code L[i, 0..j0)} and the panel's own rows, which are complete once the panel's diagonal block is.
     */
    private static void panelRow(double[] a, double[] l, int n, int j0, int width, int i) {
        int ir = i * n;
        double[] s = new double[PANEL];
        DoubleOps.dots(l, ir, l, j0 * n, n, width, j0, s);
        int last = Math.min(width, i - j0 + 1);
        for (int k = 0; k < last; k++) {
            int j = j0 + k;
            double v = a[ir + j] - s[k];
            for (int m = 0; m < k; m++) v -= l[ir + j0 + m] * l[j * n + j0 + m];
            if (j == i) {
                if (!(v > 0) || !Double.isFinite(v)) throw new NotPositiveDefiniteException(j, v);
                l[ir + j] = Math.sqrt(v);
            } else {
                l[ir + j] = v / l[j * n + j];
            }
        }
    }

    /**
     * The upper factor {@code U} of {@code a⁻¹ = UᵀU}, for SPD {@code a}, from one factorisation and one triangular
     * inverse: with {@code J} the index reversal and {@code JaJ = LLᵀ}, {@code a⁻¹ = (JL⁻¹J)ᵀ(JL⁻¹J)} and
     * {@code JL⁻¹J} is upper triangular with a positive diagonal, so it is the (unique) {@code U}. This costs a third
     * of forming {@code a⁻¹} and factorising it again, and never rounds through the explicit inverse.
     */
    public static double[] upperOfInverse(double[] a, int n) {
        double[] reversed = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) reversed[(n - 1 - i) * n + (n - 1 - j)] = a[i * n + j];
        }
        double[] l = lower(reversed, n);
        double[] u = new double[n * n];
        // Column c of L⁻¹ is the forward substitution L·x = e_c (x is zero above c); columns are independent and go
        // PANEL at a time, so that each row of L is read once for all of them. U[p, q] = L⁻¹[n-1-p, n-1-q]: column c
        // of L⁻¹ read bottom-up is column n-1-c of U read top-down. A panel at c costs about (n-c)²/2 per column, so
        // heavy and light panels alternate to give the threads equal shares.
        int panels = (n + PANEL - 1) / PANEL;
        Parallel.forRange(panels, 2, (from, to) -> {
            double[] x = new double[PANEL * n]; // [PANEL, n]: the panel's columns of L⁻¹
            double[] s = new double[PANEL];
            for (int k = from; k < to; k++) {
                int c0 = PANEL * (k % 2 == 0 ? k / 2 : panels - 1 - k / 2);
                int width = Math.min(PANEL, n - c0);
                java.util.Arrays.fill(x, 0);
                for (int i = c0; i < n; i++) {
                    DoubleOps.dots(l, i * n + c0, x, c0, n, width, i - c0, s);
                    double lii = l[i * n + i];
                    for (int m = 0; m < width; m++) {
                        int c = c0 + m;
                        if (i >= c) x[m * n + i] = ((i == c ? 1 : 0) - s[m]) / lii;
                    }
                }
                for (int m = 0; m < width; m++) {
                    int c = c0 + m;
                    int q = n - 1 - c;
                    for (int i = c; i < n; i++) u[(n - 1 - i) * n + q] = x[m * n + i];
                }
            }
        });
        return u;
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
}
