package dev.prune4j.prune.linalg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CholeskyTest {
    static double[] randomSpd(int n, long seed) {
        Random rnd = new Random(seed);
        double[] b = new double[n * (n + 3)];
        for (int i = 0; i < b.length; i++) b[i] = rnd.nextGaussian();
        double[] a = new double[n * n];
        int k = n + 3;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int t = 0; t < k; t++) s += b[i * k + t] * b[j * k + t];
                a[i * n + j] = s;
            }
        }
        return a;
    }

    static double[] multiply(double[] a, double[] b, int n, boolean transA) {
        double[] c = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int t = 0; t < n; t++) s += (transA ? a[t * n + i] : a[i * n + t]) * b[t * n + j];
                c[i * n + j] = s;
            }
        }
        return c;
    }

    static double[] transpose(double[] a, int n) {
        double[] t = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) t[j * n + i] = a[i * n + j];
        }
        return t;
    }

    @Test
    void lowerFactorReproducesTheMatrix() {
        int n = 37;
        double[] a = randomSpd(n, 1);
        double[] l = Cholesky.lower(a, n);
        double[] llt = multiply(l, transpose(l, n), n, false);
        for (int i = 0; i < n * n; i++) assertThat(llt[i]).isCloseTo(a[i], within(1e-9 * (1 + Math.abs(a[i]))));
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) assertThat(l[i * n + j]).isZero();
    }

    @Test
    void upperFactorOfInverseGivesInversesOfTrailingBlocks() {
        int n = 24;
        double[] a = randomSpd(n, 3);
        double[] u = Cholesky.upperOfInverse(a, n);
        // the inverse of every trailing block a[F,F], F = [b, n), is U_FFᵀU_FF (b = 0 is the whole inverse)
        for (int b : new int[] {0, 9, 23}) {
            int m = n - b;
            double[] trailing = new double[m * m];
            double[] uff = new double[m * m];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    trailing[i * m + j] = a[(b + i) * n + b + j];
                    uff[i * m + j] = u[(b + i) * n + b + j];
                }
            }
            double[] identity = multiply(multiply(uff, uff, m, true), trailing, m, false);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    assertThat(identity[i * m + j]).as("block from %d", b).isCloseTo(i == j ? 1 : 0, within(1e-9));
                }
            }
        }
    }

    @Test
    void upperFactorOfInverseIsTheCholeskyFactorAtWidthsThatSplitPanelsAndThreads() {
        for (int n : new int[] {1, 3, 4, 131}) {
            double[] a = randomSpd(n, 10 + n);
            double[] u = Cholesky.upperOfInverse(a, n);
            for (int i = 0; i < n; i++) {
                assertThat(u[i * n + i]).as("diagonal %d of %d", i, n).isPositive();
                for (int j = 0; j < i; j++) assertThat(u[i * n + j]).as("below the diagonal").isZero();
            }
            double[] identity = multiply(multiply(u, u, n, true), a, n, false);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    assertThat(identity[i * n + j]).isCloseTo(i == j ? 1 : 0, within(1e-8));
                }
            }
        }
    }

    @Test
    void solvesSmallSystems() {
        int n = 5;
        double[] a = randomSpd(n, 4);
        double[] x = {1, -2, 0.5, 3, -1};
        double[] b = new double[n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) b[i] += a[i * n + j] * x[j];
        Cholesky.solveInPlace(a.clone(), n, b);
        for (int i = 0; i < n; i++) assertThat(b[i]).isCloseTo(x[i], within(1e-9));
    }

    @Test
    void rejectsIndefiniteMatrices() {
        double[] a = {1, 2, 2, 1};
        assertThatThrownBy(() -> Cholesky.lower(a, 2)).isInstanceOf(NotPositiveDefiniteException.class)
                .hasMessageContaining("pivot 1");
    }
}
