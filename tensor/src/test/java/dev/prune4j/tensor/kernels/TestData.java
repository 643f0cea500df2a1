package dev.prune4j.tensor.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

/** Seeded test data and error measures shared by the kernel tests. */
final class TestData {
    private TestData() {}

    /** {@code n} floats uniform in {@code [-1, 1)}. */
    static float[] random(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = rnd.nextFloat() * 2 - 1;
        return x;
    }

    static float[] abs(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = Math.abs(x[i]);
        return y;
    }

    /**
     * Asserts {@code |actual[i] - expected[i]| <= tol * scale[i]} for all i, reporting the worst element and the
     * largest ratio of error to allowance.
     */
    static void assertClose(String label, float[] expected, float[] actual, float[] scale, double tol) {
        assertThat(actual).as(label + ": length").hasSameSizeAs(expected);
        double worstRatio = 0, worstDiff = 0;
        int worst = -1;
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs((double) actual[i] - expected[i]);
            double allowed = tol * scale[i];
            double ratio = diff == 0 ? 0 : allowed == 0 ? Double.POSITIVE_INFINITY : diff / allowed;
            if (Double.isNaN(actual[i]) != Double.isNaN(expected[i])) ratio = Double.POSITIVE_INFINITY;
            if (ratio > worstRatio) {
                worstRatio = ratio;
                worstDiff = diff;
                worst = i;
            }
        }
        String where = worst < 0 ? "" : " at [" + worst + "] expected " + expected[worst] + " got " + actual[worst];
        assertThat(worstRatio)
                .as("%s: max |diff| %.3g (%.2f of the allowed %.1g relative)%s", label, worstDiff, worstRatio, tol, where)
                .isLessThanOrEqualTo(1.0);
    }

    /** Asserts {@code |actual - expected| <= tol * |expected|} element-wise (plus a tiny absolute floor). */
    static void assertRelative(String label, float[] expected, float[] actual, double tol) {
        float[] scale = new float[expected.length];
        for (int i = 0; i < scale.length; i++) scale[i] = Math.max(Math.abs(expected[i]), 1e-30f);
        assertClose(label, expected, actual, scale, tol);
    }
}
