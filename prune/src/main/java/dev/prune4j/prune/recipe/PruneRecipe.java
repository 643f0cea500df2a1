package dev.prune4j.prune.recipe;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Everything a post-training pruning run does, as a recipe file (YAML or JSON) states it. Every field may be absent
 * in a file; {@link #withDefaults()} fills what is missing, and command-line flags override a file field by field.
 *
 * @param method        magnitude, wanda, sparsegpt or apt
 * @param sparsity      unstructured fraction of zeros in [0, 1) (exclusive with pattern)
 * @param pattern       N:M, e.g. "2:4" (exclusive with sparsity)
 * @param allocation    uniform, owl, or the path of a per-layer list of sparsities
 * @param layerSparsity an inline per-layer list (instead of an allocation file)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = false)
public record PruneRecipe(
        String method,
        Double sparsity,
        String pattern,
        String allocation,
        @JsonProperty("layer-sparsity") List<Double> layerSparsity,
        Owl owl,
        Calibration calibration,
        String targets,
        Solver solver) {

    public static final List<String> METHODS = List.of("magnitude", "wanda", "sparsegpt", "apt");

    /** OWL's hyper-parameters: outlier threshold M and the allocation range λ. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Owl(Double m, Double lambda) {}

    /** Calibration data: a text (path or sotu:calibration), how many sequences, how long, and the seed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Calibration(String text, Integer samples, Integer seqlen, Long seed) {}

    /**
     * Options of the Hessian-based methods.
     *
     * @param blockSize    columns per block (SparseGPT and APT)
     * @param damping      relative damping of the Hessian's diagonal
     * @param patternRule  APT: "joint" or "single" choice of N:M patterns
     * @param compensation APT: "row", "block" or "auto" (row where affordable) reach of the joint compensation
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Solver(@JsonProperty("block-size") Integer blockSize, Double damping,
                         @JsonProperty("pattern-rule") String patternRule, String compensation) {}

    /** The recipe with every missing field set to its default. */
    public PruneRecipe withDefaults() {
        Owl o = owl == null ? new Owl(null, null) : owl;
        Calibration c = calibration == null ? new Calibration(null, null, null, null) : calibration;
        Solver s = solver == null ? new Solver(null, null, null, null) : solver;
        return new PruneRecipe(
                method == null ? "apt" : method,
                sparsity, pattern == null && sparsity == null ? "2:4" : pattern,
                allocation == null ? (layerSparsity != null ? "list" : "uniform") : allocation,
                layerSparsity,
                new Owl(or(o.m(), 5.0), or(o.lambda(), 0.08)),
                new Calibration(or(c.text(), "sotu:calibration"), or(c.samples(), 128), or(c.seqlen(), 512), or(c.seed(), 0L)),
                targets == null ? ".*" : targets,
                new Solver(or(s.blockSize(), 128), or(s.damping(), 0.01), or(s.patternRule(), "joint"),
                        or(s.compensation(), "auto")));
    }

    /** This recipe with every non-null field of {@code override} taking precedence. */
    public PruneRecipe overriddenBy(PruneRecipe override) {
        Owl o1 = owl == null ? new Owl(null, null) : owl, o2 = override.owl == null ? new Owl(null, null) : override.owl;
        Calibration c1 = calibration == null ? new Calibration(null, null, null, null) : calibration;
        Calibration c2 = override.calibration == null ? new Calibration(null, null, null, null) : override.calibration;
        Solver s1 = solver == null ? new Solver(null, null, null, null) : solver;
        Solver s2 = override.solver == null ? new Solver(null, null, null, null) : override.solver;
        boolean targetOverridden = override.sparsity != null || override.pattern != null;
        return new PruneRecipe(
                or(override.method, method),
                targetOverridden ? override.sparsity : sparsity,
                targetOverridden ? override.pattern : pattern,
                or(override.allocation, allocation),
                or(override.layerSparsity, layerSparsity),
                new Owl(or(o2.m(), o1.m()), or(o2.lambda(), o1.lambda())),
                new Calibration(or(c2.text(), c1.text()), or(c2.samples(), c1.samples()), or(c2.seqlen(), c1.seqlen()),
                        or(c2.seed(), c1.seed())),
                or(override.targets, targets),
                new Solver(or(s2.blockSize(), s1.blockSize()), or(s2.damping(), s1.damping()),
                        or(s2.patternRule(), s1.patternRule()), or(s2.compensation(), s1.compensation())));
    }

    /** Checks a complete recipe; every message says which field is wrong and what it may be. */
    public void validate() {
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("unknown method '" + method + "'; choose one of " + String.join(", ", METHODS));
        }
        if (sparsity != null && pattern != null) {
            throw new IllegalArgumentException("give either a sparsity or an N:M pattern, not both");
        }
        if (sparsity != null && !(sparsity >= 0 && sparsity < 1)) {
            throw new IllegalArgumentException("sparsity must be in [0, 1), got " + sparsity);
        }
        if (pattern != null && !"uniform".equals(allocation)) {
            throw new IllegalArgumentException("an N:M pattern is the same in every layer; allocation '" + allocation
                    + "' applies to unstructured sparsity only");
        }
        if ("owl".equals(allocation) && sparsity == null) throw new IllegalArgumentException("OWL needs a target sparsity");
        if (calibration.samples() < 1) throw new IllegalArgumentException("calibration samples must be at least 1");
        if (calibration.seqlen() < 2) throw new IllegalArgumentException("calibration seqlen must be at least 2");
        if (solver.blockSize() < 1) throw new IllegalArgumentException("solver block-size must be positive");
        if (solver.damping() < 0) throw new IllegalArgumentException("solver damping must be non-negative");
        if (!List.of("joint", "single").contains(solver.patternRule())) {
            throw new IllegalArgumentException("solver pattern-rule must be joint or single, got " + solver.patternRule());
        }
        if (!List.of("row", "block", "auto").contains(solver.compensation())) {
            throw new IllegalArgumentException("solver compensation must be row, block or auto, got " + solver.compensation());
        }
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
