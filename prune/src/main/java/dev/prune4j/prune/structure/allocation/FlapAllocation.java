package dev.prune4j.prune.structure.allocation;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.prune.structure.StructureScores;
import dev.prune4j.prune.structure.score.ScoreSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * FLAP's adaptive structure ("AL-AM" in its {@code lib/prune.py}): scores are standardised per layer and kind
 * ({@code (s − mean) / std}, unbiased std), then one threshold across all layers and across heads and channels
 * removes the lowest units until the removed parameters reach the target, each unit weighing its parameter count (the
 * reference weighs a LLaMA head as 512/3 channels, its {@code 4·128·d} parameters over a channel's {@code 3·d}).
 * Attention is standardised per o_proj column when the scores carry {@link ScoreSet#ATTN_OUTPUT_COLUMNS} (flap,
 * wanda-sp) and a head is the mean of its columns, as the reference does; otherwise per head (or KV head). With
 * {@link AttentionUnit#QUERY_HEADS} the k-th unit of a layer removes the k-th lowest query head of every KV group
 * and scores their mean.
 *
 * <p>Two departures keep the result exact and valid: a layer always keeps one attention unit and
 * {@code ffnMultiple} channels; and when FFN channels are pruned, an attention unit is taken only if it fits in what
 * is left of the target (the first that does not closes attention), the remainder going to the next FFN channels in
 * score order. Per-layer FFN widths are then rounded to the width multiple, keeping the total (largest remainder), so
 * the result misses the target by at most one rounding unit of {@code ffnMultiple} channels.
 */
public final class FlapAllocation implements StructuredAllocation {
    public static final String NAME = "flap";

    /** One removable unit: a KV group, a query-head slot, or an FFN channel, with its standardised score. */
    private record Unit(double z, int layer, boolean attention, int rank, long cost) {}

    @Override
    public String name() { return NAME; }

    @Override
    public AllocationResult allocate(ModelConfig c, ScoreSet set, AllocationOptions o) {
        set.checkFits(c, "scores for the flap allocation");
        int layers = c.blockCount();
        List<Unit> units = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            if (o.isProtected(l, layers)) continue;
            if (o.attention() != AttentionUnit.NONE) attentionUnits(c, set, l, o.attention(), units);
            if (o.ffn()) ffnUnits(c, set.scores(), l, o.ffnMultiple(), units);
        }
        units.sort(Comparator.comparingDouble(Unit::z).thenComparingInt(Unit::layer)
                .thenComparing(Unit::attention).thenComparingInt(Unit::rank));

        double target = o.ratio() * ParameterCount.total(c);
        long channelCost = ParameterCount.ffnChannel(c);
        int[] attention = new int[layers], channels = new int[layers];
        long removed = 0, largestAttention = 0;
        boolean attentionOpen = true;
        for (Unit u : units) {
            if (u.attention()) {
                largestAttention = Math.max(largestAttention, u.cost());
                if (!attentionOpen) continue;
                boolean take = o.ffn() ? removed + u.cost() <= target : removed + u.cost() - target < target - removed;
                if (!take) {
                    attentionOpen = false;
                    continue;
                }
                attention[u.layer()]++;
                removed += u.cost();
            } else if (removed + channelCost / 2.0 <= target) {
                channels[u.layer()]++;
                removed += channelCost;
            }
        }
        long rounding = o.ffn() ? o.ffnMultiple() * channelCost : largestAttention;
        if (target - removed > rounding / 2.0) {
            throw new IllegalArgumentException(String.format("removing %.1f%% would empty a layer: with attention units %s%s"
                    + " and %d protected layers at most %.1f%% can go", 100 * o.ratio(), o.attention().cliName,
                    o.ffn() ? " and FFN channels" : " only", o.protectFirst() + o.protectLast(),
                    100.0 * units.stream().mapToLong(Unit::cost).sum() / ParameterCount.total(c)));
        }
        LayerCut[] cuts = new LayerCut[layers];
        int[] kept = roundWidths(c, channels, o.ffnMultiple());
        for (int l = 0; l < layers; l++) cuts[l] = new LayerCut(attention[l], kept[l], false);
        return AllocationResult.of(c, LayerCutPlans.build(c, set.scores(), cuts, o.attention()), NAME, o.ratio(), rounding);
    }

    private static void attentionUnits(ModelConfig c, ScoreSet set, int l, AttentionUnit unit, List<Unit> out) {
        int heads = c.headCount(l), kvHeads = c.headCountKv(l), group = heads / kvHeads, hd = c.headDim();
        float[][] columns = set.side(ScoreSet.ATTN_OUTPUT_COLUMNS);
        StructureScores s = set.scores();
        double[] z; // [query head] or [KV head]
        if (columns != null) {
            double[] zc = standardise(columns[l]);
            int size = unit == AttentionUnit.KV_GROUPS ? group * hd : hd;
            z = new double[zc.length / size];
            for (int u = 0; u < z.length; u++) {
                for (int k = 0; k < size; k++) z[u] += zc[u * size + k] / size;
            }
        } else {
            float[][] raw = unit == AttentionUnit.KV_GROUPS ? s.kvHeads() : s.queryHeads();
            if (raw == null) throw new IllegalArgumentException("the " + s.method() + " scores have no attention scores");
            z = standardise(raw[l]);
        }
        long cost = LayerCut.unitCost(c, l, unit);
        if (unit == AttentionUnit.KV_GROUPS) {
            double[] sorted = z.clone();
            Arrays.sort(sorted);
            for (int k = 0; k < kvHeads - 1; k++) out.add(new Unit(sorted[k], l, true, k, cost));
        } else {
            double[][] perGroup = new double[kvHeads][];
            for (int g = 0; g < kvHeads; g++) {
                perGroup[g] = Arrays.copyOfRange(z, g * group, (g + 1) * group);
                Arrays.sort(perGroup[g]);
            }
            for (int k = 0; k < group - 1; k++) {
                double mean = 0;
                for (double[] g : perGroup) mean += g[k] / kvHeads;
                out.add(new Unit(mean, l, true, k, cost));
            }
        }
    }

    private static void ffnUnits(ModelConfig c, StructureScores s, int l, int multiple, List<Unit> out) {
        if (s.ffnChannels() == null) throw new IllegalArgumentException("the " + s.method() + " scores have no FFN channel scores");
        double[] z = standardise(s.ffnChannels()[l]);
        Arrays.sort(z);
        long cost = ParameterCount.ffnChannel(c);
        for (int k = 0; k < c.feedForwardLength(l) - multiple; k++) out.add(new Unit(z[k], l, false, k, cost));
    }

    /** {@code (x − mean) / std} with the unbiased std; all zeros when the values do not vary. */
    static double[] standardise(float[] x) {
        double mean = 0;
        for (float v : x) mean += v;
        mean /= x.length;
        double ss = 0;
        for (float v : x) ss += (v - mean) * (v - mean);
        double std = x.length > 1 ? Math.sqrt(ss / (x.length - 1)) : 0;
        double[] z = new double[x.length];
        if (std == 0) return z;
        for (int i = 0; i < x.length; i++) z[i] = (x[i] - mean) / std;
        return z;
    }

    /**
     * Kept FFN widths, multiples of {@code multiple} (or the whole width where nothing goes), with the total removal
     * within half a multiple of {@code Σ channels}: every cut layer rounds down, then the layers with the largest
     * remainders round up until the excess is at most half a multiple.
     */
    static int[] roundWidths(ModelConfig c, int[] channels, int multiple) {
        int layers = channels.length;
        int[] kept = new int[layers], up = new int[layers];
        int[] rem = new int[layers];
        long excess = 0;
        List<Integer> cut = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            int width = c.feedForwardLength(l), raw = width - channels[l];
            if (channels[l] == 0) {
                kept[l] = width;
                continue;
            }
            kept[l] = raw / multiple * multiple;
            up[l] = Math.min(width, kept[l] + multiple);
            rem[l] = raw - kept[l];
            excess += rem[l];
            cut.add(l);
        }
        cut.sort(Comparator.<Integer>comparingInt(l -> rem[l]).reversed().thenComparing(l -> l));
        for (int l : cut) {
            if (excess * 2 <= multiple) break;
            excess -= up[l] - kept[l];
            kept[l] = up[l];
        }
        return kept;
    }
}
