package dev.prune4j.prune.structure.score;

import java.util.Arrays;
import java.util.Locale;

/**
 * LLM-Pruner's first-order Taylor importances of one weight slice {@code w} (a row or column a group owns), with
 * {@code g = ∂L/∂w} and {@code F} the empirical Fisher diagonal (Ma et al., "LLM-Pruner", NeurIPS 2023;
 * {@code TaylorImportance} in its {@code hf_llama_pruner.py}).
 */
public enum TaylorVariant {
    /** {@code |Σ_j w_j g_j|}, LLM-Pruner's "vectorize" (Vector-wise). */
    VECTOR("vector"),
    /** {@code Σ_j |w_j g_j|}, LLM-Pruner's "param_first" (Element¹), its command line's default. */
    ELEMENT1("element1"),
    /** {@code Σ_j |w_j g_j − ½ F_j w_j²|}, LLM-Pruner's "param_mix" (Element²). */
    ELEMENT2("element2");

    public final String cliName;

    TaylorVariant(String cliName) {
        this.cliName = cliName;
    }

    public boolean needsFisher() {
        return this == ELEMENT2;
    }

    public static TaylorVariant parse(String s) {
        for (TaylorVariant v : values()) {
            if (v.cliName.equals(s.toLowerCase(Locale.ROOT))) return v;
        }
        throw new IllegalArgumentException("unknown Taylor variant \"" + s + "\"; expected one of "
                + Arrays.stream(values()).map(v -> v.cliName).toList());
    }
}
