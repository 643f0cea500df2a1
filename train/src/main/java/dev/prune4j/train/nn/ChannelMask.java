package dev.prune4j.train.nn;

import dev.prune4j.train.autograd.ChannelScaleOp;
import dev.prune4j.train.autograd.Tape;
import dev.prune4j.train.autograd.Tensor;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * A structured mask as a {@link Taps}: at its sites, channels are multiplied by {@code gate(scores)}, in groups of
 * {@code groupSize} channels per score. The factories place it where each structure lives: attention heads (before
 * o_proj), FFN channels (before down_proj), hidden channels (every writer into the residual stream, one mask shared
 * by all layers, as PAT places its mask).
 */
public final class ChannelMask implements Taps {
    private final Set<Site> sites;
    private final IntFunction<Tensor> scores; // layer -> [groups]; layer -1 for the embedding
    private final int groupSize;
    private final MaskGate gate;

    public ChannelMask(Set<Site> sites, IntFunction<Tensor> scores, int groupSize, MaskGate gate) {
        this.sites = EnumSet.copyOf(sites);
        this.scores = scores;
        this.groupSize = groupSize;
        this.gate = gate;
    }

    /** One score per query head of each layer: {@code scores.apply(layer)} is [headCount(layer)]. */
    public static ChannelMask heads(IntFunction<Tensor> scores, int headDim, MaskGate gate) {
        return new ChannelMask(EnumSet.of(Site.ATTN_HEADS), scores, headDim, gate);
    }

    /** One score per FFN channel of each layer: [feedForwardLength(layer)]. */
    public static ChannelMask ffnChannels(IntFunction<Tensor> scores, MaskGate gate) {
        return new ChannelMask(EnumSet.of(Site.FFN_HIDDEN), scores, 1, gate);
    }

    /** One shared score per hidden channel, [hidden], applied after the embedding and after every attention and MLP. */
    public static ChannelMask hiddenChannels(Tensor shared, MaskGate gate) {
        return new ChannelMask(EnumSet.of(Site.EMBEDDING, Site.ATTN_OUT, Site.FFN_OUT), layer -> shared, 1, gate);
    }

    @Override
    public Tensor apply(Tape tape, Site site, int layer, Tensor x) {
        if (!sites.contains(site)) return x;
        Tensor s = scores.apply(layer);
        if (s == null) return x;
        return ChannelScaleOp.forward(tape, x, gate.values(tape, s), groupSize);
    }
}
