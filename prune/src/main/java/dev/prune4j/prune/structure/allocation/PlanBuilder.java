package dev.prune4j.prune.structure.allocation;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.prune.structure.StructureScores;
import dev.prune4j.prune.structure.StructuredPlan;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Turns per-layer cut sizes into kept indices: in each layer the lowest-scored units go (ties: the higher index goes
 * first, so a plan does not depend on sort stability).
 */
final class PlanBuilder {
    private PlanBuilder() {}

    static StructuredPlan build(ModelConfig c, StructureScores scores, LayerCut[] cuts, AttentionUnit unit) {
        int layers = c.blockCount();
        int[][] q = new int[layers][], kv = new int[layers][], ffn = new int[layers][];
        boolean[] removed = new boolean[layers];
        for (int l = 0; l < layers; l++) {
            LayerCut cut = cuts[l];
            int heads = c.headCount(l), kvHeads = c.headCountKv(l), group = heads / kvHeads, width = c.feedForwardLength(l);
            boolean[] keepQ = filled(heads), keepKv = filled(kvHeads);
            removed[l] = cut.removed();
            if (!cut.removed() && cut.attentionUnits() > 0) {
                if (unit == AttentionUnit.KV_GROUPS) {
                    for (int g : lowest(need(scores.kvHeads(), "KV head", scores), l, IntStream.range(0, kvHeads).toArray(), cut.attentionUnits())) {
                        keepKv[g] = false;
                        Arrays.fill(keepQ, g * group, (g + 1) * group, false);
                    }
                } else {
                    for (int g = 0; g < kvHeads; g++) {
                        int[] members = IntStream.range(g * group, (g + 1) * group).toArray();
                        for (int h : lowest(need(scores.queryHeads(), "query head", scores), l, members, cut.attentionUnits())) keepQ[h] = false;
                    }
                }
            }
            boolean[] keepF = filled(width);
            if (!cut.removed() && cut.ffnKept() < width) {
                for (int ch : lowest(need(scores.ffnChannels(), "FFN channel", scores), l, IntStream.range(0, width).toArray(), width - cut.ffnKept())) {
                    keepF[ch] = false;
                }
            }
            q[l] = indices(keepQ);
            kv[l] = indices(keepKv);
            ffn[l] = indices(keepF);
        }
        return new StructuredPlan(q, kv, ffn, IntStream.range(0, c.embeddingLength()).toArray(), removed);
    }

    private static float[][] need(float[][] s, String what, StructureScores scores) {
        if (s == null) throw new IllegalArgumentException("the " + scores.method() + " scores have no " + what + " scores");
        return s;
    }

    /** The {@code n} of {@code candidates} with the lowest scores in layer {@code l}. */
    private static int[] lowest(float[][] scores, int l, int[] candidates, int n) {
        float[] s = scores[l];
        return Arrays.stream(candidates).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> s[i]).thenComparing(Comparator.reverseOrder()))
                .limit(n).mapToInt(Integer::intValue).toArray();
    }

    private static boolean[] filled(int n) {
        boolean[] b = new boolean[n];
        Arrays.fill(b, true);
        return b;
    }

    private static int[] indices(boolean[] keep) {
        return IntStream.range(0, keep.length).filter(i -> keep[i]).toArray();
    }
}
