package dev.prune4j.prune.structure.score;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the scores of a group's member slices combine at one channel position (LLM-Pruner's {@code group_reduction}:
 * its command line defaults to {@code sum}).
 */
public enum GroupReduction {
    SUM, MEAN, MAX, PROD;

    /** @param members [member] one score per coupled slice */
    public double reduce(double[] members) {
        return switch (this) {
            case SUM -> Arrays.stream(members).sum();
            case MEAN -> Arrays.stream(members).average().orElse(0);
            case MAX -> Arrays.stream(members).max().orElse(0);
            case PROD -> Arrays.stream(members).reduce(1, (a, b) -> a * b);
        };
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static GroupReduction parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown group reduction \"" + s + "\"; expected one of "
                    + Arrays.stream(values()).map(GroupReduction::cliName).toList());
        }
    }
}
