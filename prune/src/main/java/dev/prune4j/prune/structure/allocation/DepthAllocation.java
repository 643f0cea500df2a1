package dev.prune4j.prune.structure.allocation;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.prune.structure.score.ScoreSet;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Depth pruning (ShortGPT): whole decoder layers with the lowest layer scores (block influence) go. Either a fixed
 * number of layers, or as many as bring the removed parameters closest to the target ratio. Attention and FFN
 * options do not apply; protected layers stay.
 */
public final class DepthAllocation implements StructuredAllocation {
    public static final String NAME = "depth";

    private final Integer layerCount; // null: from the ratio

    /** @param layerCount the number of layers to remove, or null to derive it from the ratio */
    public DepthAllocation(Integer layerCount) {
        if (layerCount != null && layerCount < 0) throw new IllegalArgumentException("layers to remove must not be negative, got " + layerCount);
        this.layerCount = layerCount;
    }

    @Override
    public String name() { return NAME; }

    @Override
    public AllocationResult allocate(ModelConfig c, ScoreSet set, AllocationOptions o) {
        float[] scores = set.scores().layers();
        if (scores == null) {
            throw new IllegalArgumentException("depth allocation needs layer scores (method depth); the "
                    + set.scores().method() + " scores have none");
        }
        set.checkFits(c, "scores for the depth allocation");
        int layers = c.blockCount();
        List<Integer> order = IntStream.range(0, layers).filter(l -> !o.isProtected(l, layers)).boxed()
                .sorted(Comparator.<Integer>comparingDouble(l -> scores[l]).thenComparing(l -> l)).toList();
        int most = Math.min(order.size(), layers - 1);
        double target = o.ratio() * ParameterCount.total(c);
        LayerCut[] cuts = new LayerCut[layers];
        for (int l = 0; l < layers; l++) cuts[l] = LayerCut.keep(c, l);
        long removed = 0, largest = 0;
        int n = 0;
        for (int l : order) largest = Math.max(largest, ParameterCount.layer(c, l));
        String limit = most + " of the " + layers + " layers can go"
                + (order.size() < layers ? " (" + (layers - order.size()) + " are protected)" : "");
        if (layerCount != null && layerCount > most) {
            throw new IllegalArgumentException("cannot remove " + layerCount + " layers: " + limit);
        }
        for (int l : order) {
            long cost = ParameterCount.layer(c, l);
            boolean take = layerCount != null ? n < layerCount : removed + cost - target < target - removed;
            if (!take) break;
            if (n == most) {
                throw new IllegalArgumentException(String.format("removing %.1f%% takes more layers than may go: %s",
                        100 * o.ratio(), limit));
            }
            cuts[l] = LayerCut.remove(c, l);
            removed += cost;
            n++;
        }
        double targetRatio = layerCount != null ? (double) removed / ParameterCount.total(c) : o.ratio();
        return AllocationResult.of(c, LayerCutPlans.build(c, set.scores(), cuts, AttentionUnit.NONE), NAME, targetRatio, largest);
    }
}
