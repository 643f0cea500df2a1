package dev.prune4j.prune.structure;

import dev.prune4j.model.config.ModelConfig;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Turns how many of each group to keep into a {@link StructuredPlan}, keeping the highest-scoring groups (ties: the
 * lower index). Attention is cut as whole KV groups ({@link #keepKvHeads}) and/or as the same number of query heads
 * inside every kept KV group ({@link #keepQueryHeadsPerKvHead}), so the result is always valid GQA. FFN and hidden
 * widths are rounded to a multiple of {@link #round} (default 8: kernels and runtimes run faster on such widths).
 * Everything not set is kept.
 */
public final class PlanBuilder {
    /** Default width multiple for FFN and hidden channels. */
    public static final int DEFAULT_ROUND = 8;

    private final ModelConfig config;
    private final StructureScores scores;
    private final int[] kvHeads;
    private final int[] queryHeadsPerKv;
    private final int[] ffnChannels;
    private final boolean[] removedLayers;
    private int hiddenChannels;
    private int round = DEFAULT_ROUND;

    public PlanBuilder(ModelConfig config, StructureScores scores) {
        this.config = config;
        this.scores = scores;
        int layers = config.blockCount();
        kvHeads = new int[layers];
        queryHeadsPerKv = new int[layers];
        ffnChannels = new int[layers];
        removedLayers = new boolean[layers];
        for (int l = 0; l < layers; l++) {
            kvHeads[l] = config.headCountKv(l);
            queryHeadsPerKv[l] = config.headCount(l) / config.headCountKv(l);
            ffnChannels[l] = config.feedForwardLength(l);
        }
        hiddenChannels = config.embeddingLength();
    }

    /** FFN and hidden widths become multiples of {@code multiple}; 1 keeps counts as given. */
    public PlanBuilder round(int multiple) {
        if (multiple < 1) throw new IllegalArgumentException("round must be at least 1, got " + multiple);
        this.round = multiple;
        return this;
    }

    /** Keeps the {@code count} best KV groups of a layer, each with its query heads. */
    public PlanBuilder keepKvHeads(int layer, int count) {
        kvHeads[layer] = inRange("KV heads of layer " + layer, count, config.headCountKv(layer));
        return this;
    }

    /** Keeps the {@code count} best query heads inside every kept KV group of a layer (at least one). */
    public PlanBuilder keepQueryHeadsPerKvHead(int layer, int count) {
        int group = config.headCount(layer) / config.headCountKv(layer);
        if (count < 1) {
            throw new IllegalArgumentException("layer " + layer + ": a kept KV head needs at least one query head, got "
                    + count + "; remove whole KV groups with keepKvHeads instead");
        }
        queryHeadsPerKv[layer] = inRange("query heads per KV head of layer " + layer, count, group);
        return this;
    }

    /** Keeps the {@code count} best FFN channels of a layer, {@code count} rounded to the width multiple. */
    public PlanBuilder keepFfnChannels(int layer, int count) {
        ffnChannels[layer] = inRange("FFN channels of layer " + layer, count, config.feedForwardLength(layer));
        return this;
    }

    /** Keeps the {@code count} best hidden channels, {@code count} rounded to the width multiple. */
    public PlanBuilder keepHiddenChannels(int count) {
        hiddenChannels = inRange("hidden channels", count, config.embeddingLength());
        return this;
    }

    public PlanBuilder removeLayer(int layer) {
        removedLayers[layer] = true;
        return this;
    }

    /**
     * @throws IllegalArgumentException when a cut needs scores that are missing, or the plan is invalid (an empty
     *                                  layer: remove the layer instead)
     */
    public StructuredPlan build() {
        int layers = config.blockCount();
        int[][] q = new int[layers][], kv = new int[layers][], ffn = new int[layers][];
        for (int l = 0; l < layers; l++) {
            kv[l] = top(kvScores(l), config.headCountKv(l), kvHeads[l], "kvHeads (or queryHeads)", l);
            q[l] = queryHeads(l, kv[l]);
            int width = roundWidth(ffnChannels[l], config.feedForwardLength(l), round);
            ffn[l] = top(scores == null ? null : row(scores.ffnChannels(), l), config.feedForwardLength(l), width,
                    "ffnChannels", l);
        }
        int hidden = roundWidth(hiddenChannels, config.embeddingLength(), round);
        int[] keptHidden = top(scores == null ? null : scores.hiddenChannels(), config.embeddingLength(), hidden,
                "hiddenChannels", -1);
        StructuredPlan plan = new StructuredPlan(q, kv, ffn, keptHidden, removedLayers.clone());
        plan.validate(config);
        return plan;
    }

    /**
     * {@code count} rounded to the nearest multiple of {@code multiple}, at least one multiple, at most {@code full};
     * 0 stays 0 (so that validation names the empty layer) and {@code full} stays {@code full}.
     */
    public static int roundWidth(int count, int full, int multiple) {
        if (count == 0 || count >= full) return count;
        int rounded = Math.max(multiple, Math.round((float) count / multiple) * multiple);
        return Math.min(rounded, full);
    }

    /** The query heads kept in a layer: the best {@code g'} of each kept KV group, in head order. */
    private int[] queryHeads(int l, int[] keptKv) {
        int group = config.headCount(l) / config.headCountKv(l);
        int perKv = queryHeadsPerKv[l];
        float[] qs = scores == null ? null : row(scores.queryHeads(), l);
        return Arrays.stream(keptKv).flatMap(g -> {
            if (perKv == group) return IntStream.range(g * group, (g + 1) * group);
            if (qs == null) throw missing("queryHeads", l);
            int[] best = top(Arrays.copyOfRange(qs, g * group, (g + 1) * group), group, perKv, "queryHeads", l);
            return Arrays.stream(best).map(i -> g * group + i);
        }).toArray();
    }

    /** KV-group scores: as given, or else the sum of the group's query-head scores. */
    private float[] kvScores(int l) {
        if (scores == null) return null;
        float[] kv = row(scores.kvHeads(), l);
        if (kv != null) return kv;
        float[] qs = row(scores.queryHeads(), l);
        if (qs == null) return null;
        int group = config.headCount(l) / config.headCountKv(l);
        float[] sum = new float[config.headCountKv(l)];
        for (int h = 0; h < qs.length; h++) sum[h / group] += qs[h];
        return sum;
    }

    /**
     * Indices of the {@code k} largest of {@code n} scores, sorted; all {@code n} indices when {@code k} covers them,
     * in which case no scores are needed.
     */
    private int[] top(float[] s, int n, int k, String what, int layer) {
        if (k >= n) return IntStream.range(0, n).toArray();
        if (s == null) throw missing(what, layer);
        if (s.length != n) {
            throw new IllegalArgumentException(what + " scores" + (layer >= 0 ? " of layer " + layer : "") + " have "
                    + s.length + " entries, the model has " + n);
        }
        return IntStream.range(0, n).boxed()
                .sorted((a, b) -> s[a] != s[b] ? Float.compare(s[b], s[a]) : Integer.compare(a, b))
                .limit(k).mapToInt(Integer::intValue).sorted().toArray();
    }

    private static float[] row(float[][] perLayer, int l) {
        return perLayer == null ? null : perLayer[l];
    }

    private IllegalArgumentException missing(String what, int layer) {
        return new IllegalArgumentException("cutting " + what + (layer >= 0 ? " of layer " + layer : "") + " needs "
                + what + " scores, which " + (scores == null ? "were not given" : scores.method() + " did not compute"));
    }

    private static int inRange(String what, int count, int full) {
        if (count < 0 || count > full) {
            throw new IllegalArgumentException(what + ": cannot keep " + count + " of " + full);
        }
        return count;
    }
}
