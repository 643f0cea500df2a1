package dev.prune4j.prune.recipe;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.prune4j.prune.structure.PlanBuilder;
import dev.prune4j.prune.structure.allocation.AllocationOptions;
import dev.prune4j.prune.structure.allocation.AttentionUnit;
import dev.prune4j.prune.structure.allocation.DepthAllocation;
import dev.prune4j.prune.structure.allocation.FlapAllocation;
import dev.prune4j.prune.structure.allocation.PerLayerAllocation;
import dev.prune4j.prune.structure.allocation.UniformAllocation;
import dev.prune4j.prune.structure.score.BlockInfluenceScorer;
import dev.prune4j.prune.structure.score.FlapScorer;
import dev.prune4j.prune.structure.score.GroupReduction;
import dev.prune4j.prune.structure.score.Scorers;
import dev.prune4j.prune.structure.score.TaylorScorer;
import dev.prune4j.prune.structure.score.TaylorVariant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a structured pruning run does, as a recipe file (YAML or JSON) states it: the same file format as
 * {@link PruneRecipe}, whose {@code method} decides which fields apply (a structured method here: l2, random, wanda-sp, flap,
 * llm-pruner, depth). Every field may be absent in a file; {@link #withDefaults()} fills what applies to the method,
 * and command-line flags override a file field by field ({@link #overriddenBy}).
 *
 * @param method           l2, wanda-sp, flap, llm-pruner, depth or random
 * @param ratio            fraction of the block linears' parameters to remove, in [0, 1)
 * @param allocation       uniform, flap (FLAP's global threshold), layers (with {@code layerRatios}) or depth; on the
 *                         command line also the path of a per-layer list, which the run records as {@code layers}
 * @param layerRatios      one fraction per layer, each of that layer's parameters, for allocation {@code layers}
 * @param depthLayers      allocation depth: remove exactly this many layers instead of reaching {@code ratio}
 * @param attention        what attention removes as a unit: kv (a KV head with its query heads), query (one query
 *                         head in every KV group), none
 * @param ffn              whether FFN channels are removed
 * @param widthMultiple    pruned FFN widths are multiples of this
 * @param protectFirst     the first this many layers are left whole
 * @param protectLast      the last this many layers are left whole
 * @param taylor           llm-pruner's importance variant and group reduction
 * @param biasCompensation flap: replace removed o_proj/down_proj inputs by their calibration means (as biases)
 * @param calibration      calibration text and sampling, for the methods that read data
 * @param scores           a score file to cut from instead of scoring (made with {@code --save-scores})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = false)
public record StructuredRecipe(
        String method,
        Double ratio,
        String allocation,
        @JsonProperty("layer-ratios") List<Double> layerRatios,
        @JsonProperty("depth-layers") Integer depthLayers,
        String attention,
        Boolean ffn,
        @JsonProperty("width-multiple") Integer widthMultiple,
        @JsonProperty("protect-first") Integer protectFirst,
        @JsonProperty("protect-last") Integer protectLast,
        Taylor taylor,
        @JsonProperty("bias-compensation") Boolean biasCompensation,
        PruneRecipe.Calibration calibration,
        String scores) {

    /** The structured methods, as {@code method} spells them. */
    public static final List<String> METHODS = Scorers.NAMES;
    /** Allocation names; anything else on the command line is a per-layer list file. */
    public static final List<String> ALLOCATIONS = List.of(UniformAllocation.NAME, FlapAllocation.NAME,
            PerLayerAllocation.NAME, DepthAllocation.NAME);
    public static final List<String> ATTENTION = List.of("kv", "query", "none");

    /**
     * LLM-Pruner's Taylor options.
     *
     * @param variant   vector, element1 or element2
     * @param reduction sum, mean, max or prod
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Taylor(String variant, String reduction) {}

    /** A recipe with every field absent. */
    public static StructuredRecipe empty() {
        return new StructuredRecipe(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Whether {@code method} names a structured method (rather than post-training sparsity). */
    public static boolean isStructured(String method) {
        return METHODS.contains(method);
    }

    /**
     * The recipe with every missing field that applies to its method set to its default: allocation {@code flap} for
     * flap, {@code depth} for depth, else {@code uniform}; attention kv, FFN on, widths multiples of 8 (not for
     * depth); no protected layers; Taylor element1/sum; calibration {@code sotu:calibration}, seed 0, and the
     * scorer's own size (LLM-Pruner's 10 × 64 tokens, else 128 × 512) for the methods that read data, unless scores
     * are loaded from a file, whose own calibration then counts.
     */
    public StructuredRecipe withDefaults() {
        boolean depth = BlockInfluenceScorer.NAME.equals(method);
        boolean taylorMethod = TaylorScorer.NAME.equals(method);
        String alloc = allocation != null ? allocation
                : layerRatios != null ? PerLayerAllocation.NAME
                : depth ? DepthAllocation.NAME
                : FlapScorer.NAME.equals(method) ? FlapAllocation.NAME : UniformAllocation.NAME;
        Taylor t = taylor;
        if (taylorMethod && scores == null) {
            Taylor given = taylor == null ? new Taylor(null, null) : taylor;
            t = new Taylor(or(given.variant(), TaylorVariant.ELEMENT1.cliName), or(given.reduction(), GroupReduction.SUM.cliName()));
        }
        PruneRecipe.Calibration c = calibration;
        if (readsCalibration() && scores == null) {
            PruneRecipe.Calibration given = calibration == null ? new PruneRecipe.Calibration(null, null, null, null) : calibration;
            c = new PruneRecipe.Calibration(or(given.text(), "sotu:calibration"),
                    or(given.samples(), taylorMethod ? TaylorScorer.DEFAULT_SAMPLES : 128),
                    or(given.seqlen(), taylorMethod ? TaylorScorer.DEFAULT_SEQLEN : 512), or(given.seed(), 0L));
        }
        return new StructuredRecipe(method, ratio, alloc, layerRatios, depthLayers,
                depth ? attention : or(attention, "kv"),
                depth ? ffn : or(ffn, true),
                depth ? widthMultiple : or(widthMultiple, PlanBuilder.DEFAULT_ROUND),
                or(protectFirst, 0), or(protectLast, 0), t, or(biasCompensation, false), c, scores);
    }

    /** This recipe with every non-null field of {@code override} taking precedence (nested fields one by one). */
    public StructuredRecipe overriddenBy(StructuredRecipe override) {
        Taylor t1 = taylor == null ? new Taylor(null, null) : taylor;
        Taylor t2 = override.taylor == null ? new Taylor(null, null) : override.taylor;
        Taylor t = new Taylor(or(t2.variant(), t1.variant()), or(t2.reduction(), t1.reduction()));
        PruneRecipe.Calibration c1 = calibration == null ? new PruneRecipe.Calibration(null, null, null, null) : calibration;
        PruneRecipe.Calibration c2 = override.calibration == null ? new PruneRecipe.Calibration(null, null, null, null) : override.calibration;
        PruneRecipe.Calibration c = new PruneRecipe.Calibration(or(c2.text(), c1.text()), or(c2.samples(), c1.samples()),
                or(c2.seqlen(), c1.seqlen()), or(c2.seed(), c1.seed()));
        // a per-layer list on the command line replaces the file's ratio, and a ratio its list
        boolean listOverridden = override.layerRatios != null || isListFile(override.allocation)
                || PerLayerAllocation.NAME.equals(override.allocation);
        boolean listDropped = override.ratio != null
                || (override.allocation != null && !PerLayerAllocation.NAME.equals(override.allocation));
        return new StructuredRecipe(or(override.method, method),
                override.ratio != null ? override.ratio : listOverridden ? null : ratio,
                or(override.allocation, allocation),
                override.layerRatios != null ? override.layerRatios : listDropped ? null : layerRatios,
                or(override.depthLayers, depthLayers), or(override.attention, attention), or(override.ffn, ffn),
                or(override.widthMultiple, widthMultiple), or(override.protectFirst, protectFirst),
                or(override.protectLast, protectLast), t.variant() == null && t.reduction() == null ? null : t,
                or(override.biasCompensation, biasCompensation), allNull(c) ? null : c, or(override.scores, scores));
    }

    /** The recipe with a per-layer list (read from an allocation file), recorded as allocation {@code layers}. */
    public StructuredRecipe withLayerRatios(List<Double> ratios) {
        return new StructuredRecipe(method, ratio, PerLayerAllocation.NAME, List.copyOf(ratios), depthLayers, attention,
                ffn, widthMultiple, protectFirst, protectLast, taylor, biasCompensation, calibration, scores);
    }

    /**
     * Checks a complete recipe ({@link #withDefaults()} applied); every message names the field and what it may be.
     * Fields that do not apply to the method are refused rather than ignored, so a recipe never says more than ran.
     */
    public void validate() {
        if (!isStructured(method)) {
            throw new IllegalArgumentException("unknown structured method '" + method + "'; choose one of " + String.join(", ", METHODS));
        }
        boolean depth = BlockInfluenceScorer.NAME.equals(method);
        if (!ALLOCATIONS.contains(allocation)) {
            throw new IllegalArgumentException("allocation '" + allocation + "' is not one of " + String.join(", ", ALLOCATIONS)
                    + " (a per-layer list file is read before the recipe is checked)");
        }
        if (depth != DepthAllocation.NAME.equals(allocation)) {
            throw new IllegalArgumentException(depth
                    ? "method depth removes whole layers: its allocation is depth, not " + allocation
                    : "allocation depth removes whole layers by block influence: use it with method depth, not " + method);
        }
        checkTarget();
        if (depthLayers != null && !DepthAllocation.NAME.equals(allocation)) {
            throw new IllegalArgumentException("depth-layers applies to allocation depth, not " + allocation);
        }
        if (depth) {
            refuse(attention, "attention", "method depth (it removes whole layers)");
            refuse(ffn, "ffn", "method depth (it removes whole layers)");
            refuse(widthMultiple, "width-multiple", "method depth (it removes whole layers)");
        } else {
            if (!ATTENTION.contains(attention)) {
                throw new IllegalArgumentException("attention must be one of " + String.join(", ", ATTENTION) + ", got '" + attention + "'");
            }
            if (widthMultiple < 1) throw new IllegalArgumentException("width-multiple must be at least 1, got " + widthMultiple);
            if (attention.equals("none") && !ffn) {
                throw new IllegalArgumentException("nothing to prune: attention is none and ffn is off");
            }
        }
        if (protectFirst < 0 || protectLast < 0) {
            throw new IllegalArgumentException("protect-first and protect-last must not be negative, got " + protectFirst + " and " + protectLast);
        }
        checkScorerOptions();
        if (biasCompensation && !FlapScorer.NAME.equals(method)) {
            throw new IllegalArgumentException("bias-compensation uses the input means that method flap records; method " + method
                    + " has none");
        }
        checkCalibration();
    }

    private void checkTarget() {
        if (PerLayerAllocation.NAME.equals(allocation)) {
            if (layerRatios == null) throw new IllegalArgumentException("allocation layers needs layer-ratios (one per layer) or a list file");
            if (ratio != null) {
                throw new IllegalArgumentException("give either a ratio or per-layer ratios: the list sets the target");
            }
            for (int l = 0; l < layerRatios.size(); l++) {
                Double r = layerRatios.get(l);
                if (r == null || !(r >= 0 && r < 1)) {
                    throw new IllegalArgumentException("layer-ratios[" + l + "] must be in [0, 1), got " + r);
                }
            }
            return;
        }
        if (layerRatios != null) {
            throw new IllegalArgumentException("layer-ratios go with allocation layers, not " + allocation);
        }
        if (DepthAllocation.NAME.equals(allocation) && depthLayers != null) {
            if (depthLayers < 1) throw new IllegalArgumentException("depth-layers must be at least 1, got " + depthLayers);
            if (ratio != null) throw new IllegalArgumentException("give either a ratio or depth-layers, not both");
            return;
        }
        if (ratio == null) throw new IllegalArgumentException("structured method " + method + " needs a ratio (--ratio R, e.g. 0.2)");
        if (!(ratio >= 0 && ratio < 1)) throw new IllegalArgumentException("ratio must be in [0, 1), got " + ratio);
    }

    private void checkScorerOptions() {
        if (!TaylorScorer.NAME.equals(method)) {
            refuse(taylor, "taylor", "method " + method + " (only llm-pruner takes a Taylor variant and reduction)");
            return;
        }
        if (taylor == null) return; // scores from a file: its options count
        if (taylor.variant() != null) TaylorVariant.parse(taylor.variant());
        if (taylor.reduction() != null) GroupReduction.parse(taylor.reduction());
    }

    private void checkCalibration() {
        if (scores != null) {
            refuse(calibration, "calibration (--calib, --nsamples, --seqlen, --seed)", "scores loaded from " + scores
                    + " (they were computed on their own calibration)");
            return;
        }
        if (!readsCalibration()) {
            refuse(calibration, "calibration (--calib, --nsamples, --seqlen, --seed)", "method " + method
                    + " (it reads only the weights)");
            return;
        }
        if (calibration.samples() < 1) throw new IllegalArgumentException("calibration samples must be at least 1, got " + calibration.samples());
        if (calibration.seqlen() < 2) throw new IllegalArgumentException("calibration seqlen must be at least 2, got " + calibration.seqlen());
    }

    /** Whether the method's scorer reads calibration data (every one but l2 and random). */
    @JsonIgnore
    public boolean readsCalibration() {
        return method != null && Scorers.readsCalibration(method);
    }

    /** The attention unit the allocation removes ({@link AttentionUnit#NONE} for depth). */
    @JsonIgnore
    public AttentionUnit attentionUnit() {
        if (attention == null) return AttentionUnit.NONE;
        return switch (attention) {
            case "kv" -> AttentionUnit.KV_GROUPS;
            case "query" -> AttentionUnit.QUERY_HEADS;
            case "none" -> AttentionUnit.NONE;
            default -> throw new IllegalArgumentException("attention must be one of " + String.join(", ", ATTENTION) + ", got '" + attention + "'");
        };
    }

    /** The allocation's options; a ratio the allocation does not use (per-layer list, depth-layers) is 0. */
    @JsonIgnore
    public AllocationOptions allocationOptions() {
        boolean depth = BlockInfluenceScorer.NAME.equals(method);
        return new AllocationOptions(ratio == null ? 0 : ratio, depth ? AttentionUnit.NONE : attentionUnit(),
                depth || ffn, depth ? AllocationOptions.DEFAULT_FFN_MULTIPLE : widthMultiple, protectFirst, protectLast);
    }

    /** The scorer's options as {@link Scorers#byName} takes them (llm-pruner's variant and reduction; else none). */
    @JsonIgnore
    public Map<String, String> scorerOptions() {
        Map<String, String> o = new LinkedHashMap<>();
        if (taylor != null && taylor.variant() != null) o.put("variant", taylor.variant());
        if (taylor != null && taylor.reduction() != null) o.put("reduction", taylor.reduction());
        return o;
    }

    /** The per-layer list as an array, or null. */
    @JsonIgnore
    public double[] layerRatioArray() {
        return layerRatios == null ? null : layerRatios.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Whether an allocation value names a per-layer list file rather than a strategy. */
    public static boolean isListFile(String allocation) {
        return allocation != null && !ALLOCATIONS.contains(allocation);
    }

    private static void refuse(Object value, String field, String why) {
        if (value != null) throw new IllegalArgumentException(field + " does not apply to " + why);
    }

    private static boolean allNull(PruneRecipe.Calibration c) {
        return c.text() == null && c.samples() == null && c.seqlen() == null && c.seed() == null;
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
