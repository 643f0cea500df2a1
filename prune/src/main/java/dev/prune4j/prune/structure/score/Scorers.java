package dev.prune4j.prune.structure.score;

import java.util.List;
import java.util.Map;

/** The structured scoring methods by name, as the CLI and recipes spell them. */
public final class Scorers {
    /** Every method name {@link #byName} knows. */
    public static final List<String> NAMES = List.of(L2Scorer.NAME, WandaSpScorer.NAME, FlapScorer.NAME,
            TaylorScorer.NAME, BlockInfluenceScorer.NAME, RandomScorer.NAME);

    private Scorers() {}

    /** Whether the named method reads calibration data: what its scorer declares. */
    public static boolean readsCalibration(String name) {
        return byName(name, null).needsCalibration();
    }

    /**
     * @param options method options: for {@code llm-pruner}, {@code variant} (vector, element1, element2; default
     *                element1) and {@code reduction} (sum, mean, max, prod; default sum); the others take none
     * @throws IllegalArgumentException for an unknown method or option
     */
    public static StructureScorer byName(String name, Map<String, String> options) {
        Map<String, String> opts = options == null ? Map.of() : options;
        if (!name.equals(TaylorScorer.NAME) && !opts.isEmpty()) {
            throw new IllegalArgumentException("structured method " + name + " takes no options, got " + opts.keySet());
        }
        return switch (name) {
            case L2Scorer.NAME -> new L2Scorer();
            case WandaSpScorer.NAME -> new WandaSpScorer();
            case FlapScorer.NAME -> new FlapScorer();
            case BlockInfluenceScorer.NAME -> new BlockInfluenceScorer();
            case RandomScorer.NAME -> new RandomScorer();
            case TaylorScorer.NAME -> {
                for (String k : opts.keySet()) {
                    if (!k.equals("variant") && !k.equals("reduction")) {
                        throw new IllegalArgumentException(TaylorScorer.NAME + " has no option \"" + k
                                + "\"; it takes variant and reduction");
                    }
                }
                yield new TaylorScorer(TaylorVariant.parse(opts.getOrDefault("variant", TaylorVariant.ELEMENT1.cliName)),
                        GroupReduction.parse(opts.getOrDefault("reduction", GroupReduction.SUM.cliName())));
            }
            default -> throw new IllegalArgumentException("unknown structured method \"" + name + "\"; expected one of " + NAMES);
        };
    }
}
