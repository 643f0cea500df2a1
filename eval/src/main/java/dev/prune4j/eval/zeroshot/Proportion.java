package dev.prune4j.eval.zeroshot;

import java.util.Locale;

/**
 * An accuracy as {@code correct / n} with its binomial uncertainty.
 *
 * @param correct examples answered correctly
 * @param n       examples evaluated
 */
public record Proportion(int correct, int n) {
    /** Two-sided 95% normal quantile. */
    private static final double Z95 = 1.959963984540054;

    public Proportion {
        if (n < 0 || correct < 0 || correct > n) throw new IllegalArgumentException("invalid proportion " + correct + "/" + n);
    }

    public double value() {
        return n == 0 ? Double.NaN : (double) correct / n;
    }

    /**
     * Standard error of the mean as lm-evaluation-harness reports it: the sample standard deviation of the 0/1
     * outcomes over √n, i.e. {@code sqrt(p(1-p)/(n-1))}.
     */
    public double stderr() {
        if (n < 2) return Double.NaN;
        double p = value();
        return Math.sqrt(p * (1 - p) / (n - 1));
    }

    /** The Wilson score 95% interval {@code [low, high]}; unlike p ± 1.96·stderr it stays inside [0, 1] and works at p = 0 or 1. */
    public double[] wilson95() {
        if (n == 0) return new double[] {Double.NaN, Double.NaN};
        double p = value(), z2 = Z95 * Z95;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z95 / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    /** {@code 0.6120 ± 0.0218 (95% CI 0.569–0.654)}. */
    public String describe() {
        double[] ci = wilson95();
        return String.format(Locale.ROOT, "%.4f ± %.4f (95%% CI %.3f–%.3f)", value(), stderr(), ci[0], ci[1]);
    }
}
