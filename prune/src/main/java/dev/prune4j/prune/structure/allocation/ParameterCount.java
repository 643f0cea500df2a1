package dev.prune4j.prune.structure.allocation;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.prune.structure.StructuredPlan;

/**
 * The parameters a structured ratio is a fraction of: the weight matrices of the seven linears of every decoder block
 * (q, k, v, o, gate, up, down). Embeddings, the lm_head, norm gains and biases are not counted, so a ratio means the
 * same for a tied and an untied model. A layer counts {@code 2·H·hd·d + 2·H_kv·hd·d + 3·F·d} with {@code d} the
 * hidden width, {@code hd} the head dimension, {@code H}, {@code H_kv}, {@code F} the layer's widths.
 */
public final class ParameterCount {
    private ParameterCount() {}

    /** Counted parameters of layer {@code l} of the dense model. */
    public static long layer(ModelConfig c, int l) {
        return kept(c.headCount(l), c.headCountKv(l), c.feedForwardLength(l), c.headDim(), c.embeddingLength());
    }

    /** Counted parameters of the dense model. */
    public static long total(ModelConfig c) {
        long n = 0;
        for (int l = 0; l < c.blockCount(); l++) n += layer(c, l);
        return n;
    }

    /** Counted parameters that {@code plan} removes (whole layers, heads, channels and hidden channels). */
    public static long removed(ModelConfig c, StructuredPlan plan) {
        long kept = 0;
        int d = plan.keptHiddenChannels().length;
        for (int l = 0; l < c.blockCount(); l++) {
            if (plan.removedLayers()[l]) continue;
            kept += kept(plan.keptQueryHeads()[l].length, plan.keptKvHeads()[l].length, plan.keptFfnChannels()[l].length,
                    c.headDim(), d);
        }
        return total(c) - kept;
    }

    /** What one query head costs: its rows of q and columns of o. */
    public static long queryHead(ModelConfig c) {
        return 2L * c.headDim() * c.embeddingLength();
    }

    /** What one KV head costs with its query heads: its rows of k and v and everything of its query heads. */
    public static long kvGroup(ModelConfig c, int l) {
        return (2L + 2L * c.headCount(l) / c.headCountKv(l)) * c.headDim() * c.embeddingLength();
    }

    /** What one FFN channel costs: its rows of gate and up and its column of down. */
    public static long ffnChannel(ModelConfig c) {
        return 3L * c.embeddingLength();
    }

    private static long kept(int heads, int kvHeads, int ffn, int hd, int d) {
        return 2L * heads * hd * d + 2L * kvHeads * hd * d + 3L * ffn * d;
    }
}
