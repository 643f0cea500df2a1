package dev.prune4j.train.nn;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.train.Rng;
import dev.prune4j.train.autograd.AttentionOp;
import dev.prune4j.train.autograd.AttentionShape;
import dev.prune4j.train.autograd.ElementwiseOps;
import dev.prune4j.train.autograd.GatedActivationOp;
import dev.prune4j.train.autograd.RmsNormOp;
import dev.prune4j.train.autograd.RopeOp;
import dev.prune4j.train.autograd.Tape;
import dev.prune4j.train.autograd.Tensor;

/**
 * One differentiable decoder block, the same computation as the inference {@code Transformer.block}: pre-norm GQA
 * attention with RoPE (and QK-norm, post-norm where the architecture has them), then the pre-norm gated MLP, each
 * added to the residual stream. Norm gains are used as stored ({@link RmsNormOp.GainForm#PLAIN}): prune4j's weights
 * hold Gemma's {@code 1 + w} already.
 */
public final class DecoderBlock {
    private final ModelConfig config;
    private final int layer;
    private final RotaryTables rope;
    final Tensor attnNorm, attnQNorm, attnKNorm, attnPostNorm, ffnNorm, ffnPostNorm; // [hidden] or [headDim]; optional ones null
    final LinearModule q, k, v, o, gate, up, down;

    DecoderBlock(ModelConfig config, int layer, RotaryTables rope, Tensor[] norms, LinearModule[] linears) {
        this.config = config;
        this.layer = layer;
        this.rope = rope;
        this.attnNorm = norms[0];
        this.attnQNorm = norms[1];
        this.attnKNorm = norms[2];
        this.attnPostNorm = norms[3];
        this.ffnNorm = norms[4];
        this.ffnPostNorm = norms[5];
        this.q = linears[0];
        this.k = linears[1];
        this.v = linears[2];
        this.o = linears[3];
        this.gate = linears[4];
        this.up = linears[5];
        this.down = linears[6];
    }

    public int layer() { return layer; }

    /** The block's linears in a fixed order: q, k, v, o, gate, up, down. */
    public LinearModule[] linears() {
        return new LinearModule[] {q, k, v, o, gate, up, down};
    }

    /**
     * @param x      [batch·seqLen, hidden] residual stream entering the block
     * @param seqLen rows per sequence (positions restart at 0 in each)
     * @return the residual stream after the block (a new tensor)
     */
    public Tensor forward(Tape tape, Tensor x, int batch, int seqLen, ForwardOptions opt) {
        int hidden = config.embeddingLength(), hd = config.headDim();
        int heads = config.headCount(layer), kvHeads = config.headCountKv(layer);
        float eps = config.rmsNormEps();
        long seed = Rng.mix(opt.seed(), layer);
        Taps taps = opt.taps();

        // attention: norm, q/k/v projections, optional QK-norm, RoPE
        Tensor xb = norm(tape, x, attnNorm, hidden);
        Tensor qx = q.forward(tape, xb, opt.training(), Rng.mix(seed, q.index()));
        Tensor kx = k.forward(tape, xb, opt.training(), Rng.mix(seed, k.index()));
        Tensor vx = v.forward(tape, xb, opt.training(), Rng.mix(seed, v.index()));
        if (config.qkNorm()) {
            qx = norm(tape, qx, attnQNorm, hd);
            kx = norm(tape, kx, attnKNorm, hd);
        }
        boolean sliding = config.isSlidingLayer(layer);
        float[][] table = rope.table(sliding, seqLen);
        int[] positions = positions(batch, seqLen);
        qx = RopeOp.forward(tape, qx, heads, hd, config.ropeDim(), positions, table, config.ropeLayout());
        kx = RopeOp.forward(tape, kx, kvHeads, hd, config.ropeDim(), positions, table, config.ropeLayout());

        // causal attention, then o_proj and the residual add
        AttentionShape shape = new AttentionShape(batch, seqLen, heads, kvHeads, hd, (float) (1 / Math.sqrt(hd)),
                sliding ? config.slidingWindow() : 0);
        Tensor att = taps.apply(tape, Site.ATTN_HEADS, layer, AttentionOp.forward(tape, qx, kx, vx, shape));
        Tensor ao = o.forward(tape, att, opt.training(), Rng.mix(seed, o.index()));
        if (attnPostNorm != null) ao = norm(tape, ao, attnPostNorm, hidden);
        x = ElementwiseOps.add(tape, x, taps.apply(tape, Site.ATTN_OUT, layer, ao));

        // gated MLP
        xb = norm(tape, x, ffnNorm, hidden);
        Tensor g = gate.forward(tape, xb, opt.training(), Rng.mix(seed, gate.index()));
        Tensor u = up.forward(tape, xb, opt.training(), Rng.mix(seed, up.index()));
        Tensor h = taps.apply(tape, Site.FFN_HIDDEN, layer, GatedActivationOp.forward(tape, g, u, config.activation()));
        Tensor d = down.forward(tape, h, opt.training(), Rng.mix(seed, down.index()));
        if (ffnPostNorm != null) d = norm(tape, d, ffnPostNorm, hidden);
        return ElementwiseOps.add(tape, x, taps.apply(tape, Site.FFN_OUT, layer, d));
    }

    private Tensor norm(Tape tape, Tensor x, Tensor gain, int width) {
        return RmsNormOp.forward(tape, x, gain, width, config.rmsNormEps(), RmsNormOp.GainForm.PLAIN);
    }

    private static int[] positions(int batch, int seqLen) {
        int[] p = new int[batch * seqLen];
        for (int i = 0; i < p.length; i++) p[i] = i % seqLen;
        return p;
    }
}
