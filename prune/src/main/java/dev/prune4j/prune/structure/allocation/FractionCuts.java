package dev.prune4j.prune.structure.allocation;

import dev.prune4j.model.config.ModelConfig;

/**
 * Cuts a given fraction of one layer's counted parameters. With attention and FFN both on, attention loses the same
 * fraction of its units rounded down to whole units, and the FFN takes the rest, so the layer's total is exact up to
 * the FFN width rounding; with one kind only, that kind takes it all (rounded to the nearest unit).
 */
final class FractionCuts {
    private FractionCuts() {}

    static LayerCut cut(ModelConfig c, int l, double fraction, AllocationOptions o) {
        if (fraction == 0) return LayerCut.keep(c, l);
        double target = fraction * ParameterCount.layer(c, l);
        AttentionUnit unit = o.attention();
        int maxUnits = LayerCut.maxUnits(c, l, unit);
        long unitCost = LayerCut.unitCost(c, l, unit);
        int width = c.feedForwardLength(l);
        if (!o.ffn()) {
            int a = maxUnits == 0 ? 0 : (int) Math.round(target / unitCost);
            if (a > maxUnits || (a == 0 && maxUnits == 0)) throw refusal(c, l, fraction, o);
            return new LayerCut(a, width, false);
        }
        // Attention loses whole units up to its share and never more: on a model with few KV heads one unit is a
        // large slice (a third of SmolLM2's attention), and rounding 0.6 of a unit up to one cost Wanda-sp at 20%
        // a 17x higher perplexity than leaving attention whole (docs/results.md, structured pruning).
        int all = LayerCut.units(c, l, unit);
        int a = Math.min(maxUnits, (int) Math.floor(fraction * all + 1e-9));
        double channels = (target - (double) a * unitCost) / ParameterCount.ffnChannel(c);
        int kept = roundWidth(width - channels, width, o.ffnMultiple());
        if (kept <= 0) throw refusal(c, l, fraction, o);
        return new LayerCut(a, kept, false);
    }

    /**
     * The width nearest to {@code raw} among the multiples of {@code multiple} up to {@code width} and {@code width}
     * itself (ties keep more).
     */
    static int roundWidth(double raw, int width, int multiple) {
        if (raw >= width) return width;
        int lo = (int) Math.floor(raw / multiple) * multiple;
        int hi = Math.min(width, lo + multiple);
        return raw - lo < hi - raw ? lo : hi;
    }

    /** Parameters one rounding step of this layer moves: {@code multiple} FFN channels, or one attention unit. */
    static long roundingUnit(ModelConfig c, int l, AllocationOptions o) {
        return o.ffn() ? o.ffnMultiple() * ParameterCount.ffnChannel(c) : LayerCut.unitCost(c, l, o.attention());
    }

    /** The largest fraction of layer {@code l} these options can remove while the layer keeps heads and channels. */
    static double maxFraction(ModelConfig c, int l, AllocationOptions o) {
        long removable = LayerCut.maxUnits(c, l, o.attention()) * LayerCut.unitCost(c, l, o.attention());
        if (o.ffn()) removable += Math.max(0, c.feedForwardLength(l) - o.ffnMultiple()) * ParameterCount.ffnChannel(c);
        return (double) removable / ParameterCount.layer(c, l);
    }

    private static IllegalArgumentException refusal(ModelConfig c, int l, double fraction, AllocationOptions o) {
        return new IllegalArgumentException(String.format(
                "layer %d: removing %.1f%% of its parameters would empty it; with attention units %s%s at most %.1f%% can go"
                        + " (lower the ratio, protect fewer layers, or prune more kinds of groups)",
                l, 100 * fraction, o.attention().cliName, o.ffn() ? " and FFN channels (multiple of " + o.ffnMultiple() + ")" : " only",
                100 * maxFraction(c, l, o)));
    }
}
