package dev.prune4j.prune.method;

import dev.prune4j.prune.recipe.PruneRecipe;
import java.util.Locale;

/** The pruner a complete recipe names, configured from its solver options. */
public final class Pruners {
    private Pruners() {}

    public static LinearPruner create(PruneRecipe recipe) {
        PruneRecipe.Solver s = recipe.solver();
        return switch (recipe.method()) {
            case "magnitude" -> new MagnitudePruner();
            case "wanda" -> new WandaPruner();
            case "sparsegpt" -> new SparseGptPruner(s.blockSize(), s.damping(), false);
            case "apt" -> new AptPruner(new AptOptions(s.blockSize(), s.damping(),
                    AptOptions.PatternRule.valueOf(s.patternRule().toUpperCase(Locale.ROOT)),
                    AptOptions.Compensation.valueOf(s.compensation().toUpperCase(Locale.ROOT))));
            default -> throw new IllegalArgumentException("unknown method '" + recipe.method() + "'");
        };
    }
}
