package dev.prune4j.model.forward;

import dev.prune4j.model.config.Activation;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.Linear;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.tensor.kernels.MatMul;
import dev.prune4j.tensor.kernels.Rope;
import dev.prune4j.tensor.kernels.VectorOps;

/**
 * The decoder forward pass shared by every supported architecture: batched prefill over a KV cache, one-token
 * decode as the special case of one row, hooks at the inputs of every linear, and entry points per block so that
 * a calibration pipeline can run one block at a time.
 */
public final class Transformer {
    private final ModelConfig config;
    private final ModelWeights weights;
    private final RopeTables rope;

    public Transformer(ModelConfig config, ModelWeights weights) {
        this.config = config;
        this.weights = weights;
        this.rope = new RopeTables(config);
    }

    public ModelConfig config() { return config; }

    public ModelWeights weights() { return weights; }

    public KvCache newCache(int capacity) {
        return new KvCache(config, capacity);
    }

    /**
     * Runs {@code tokens} at the cache's next positions through every block and the final norm.
     *
     * @return [tokens.length, embeddingLength] final hidden states (normed, ready for {@link #logits})
     */
    public float[] forward(int[] tokens, KvCache cache, ForwardHooks hooks) {
        int t = tokens.length;
        cache.ensureRoom(t);
        float[] x = embed(tokens);
        for (int layer = 0; layer < config.blockCount(); layer++) {
            block(layer, x, t, cache.length(), cache, hooks);
        }
        cache.advance(t);
        return finalNorm(x, t);
    }

    /** Token embeddings, scaled where the architecture says so: [tokens, embeddingLength]. */
    public float[] embed(int[] tokens) {
        int h = config.embeddingLength();
        float[] x = new float[tokens.length * h];
        for (int i = 0; i < tokens.length; i++) {
            int id = tokens[i];
            if (id < 0 || id >= config.vocabSize()) {
                throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + config.vocabSize());
            }
            System.arraycopy(weights.tokenEmbd(), id * h, x, i * h, h);
        }
        if (config.embeddingScale() != 1f) VectorOps.scale(x, config.embeddingScale(), x.length);
        return x;
    }

    /**
     * One decoder block, updating the residual stream {@code x} in place. Keys and values of the {@code tokens}
     * positions starting at {@code startPos} are written into {@code cache} (which must hold earlier positions).
     *
     * @param x [tokens, embeddingLength] residual stream
     */
    public void block(int layer, float[] x, int tokens, int startPos, KvCache cache, ForwardHooks hooks) {
        BlockWeights w = weights.blocks()[layer];
        int h = config.embeddingLength();
        int nHeads = config.headCount(layer), nKv = config.headCountKv(layer), hd = config.headDim();
        int qDim = config.qDim(layer), kvDim = config.kvDim(layer), ffn = config.feedForwardLength(layer);
        float eps = config.rmsNormEps();
        float[] xb = new float[tokens * h];

        // attention: norm, q/k/v projections
        VectorOps.rmsNorm(x, w.attnNorm(), eps, tokens, h, xb);
        hooks.linearInput(layer, CapturePoint.ATTN_IN, xb, tokens, h);
        float[] q = linear(w.attnQ(), xb, tokens);
        float[] k = linear(w.attnK(), xb, tokens);
        float[] v = linear(w.attnV(), xb, tokens);
        if (config.qkNorm()) {
            VectorOps.rmsNorm(q, w.attnQNorm(), eps, tokens * nHeads, hd, q);
            VectorOps.rmsNorm(k, w.attnKNorm(), eps, tokens * nKv, hd, k);
        }

        // RoPE, then the scale folded into q; keys and values go into the cache
        boolean sliding = config.isSlidingLayer(layer);
        float[][] table = rope.table(sliding, startPos + tokens);
        float scale = (float) (1.0 / Math.sqrt(hd));
        for (int t = 0; t < tokens; t++) {
            Rope.apply(q, t * qDim, nHeads, hd, config.ropeDim(), startPos + t, table, config.ropeLayout());
            Rope.apply(k, t * kvDim, nKv, hd, config.ropeDim(), startPos + t, table, config.ropeLayout());
        }
        VectorOps.scale(q, scale, q.length);
        System.arraycopy(k, 0, cache.keys(layer), startPos * kvDim, tokens * kvDim);
        System.arraycopy(v, 0, cache.values(layer), startPos * kvDim, tokens * kvDim);

        float[] attn = new float[tokens * qDim];
        CausalAttention.attend(q, cache.keys(layer), cache.values(layer), tokens, startPos, nHeads, nKv, hd,
                sliding ? config.slidingWindow() : 0, attn);
        hooks.linearInput(layer, CapturePoint.ATTN_OUTPUT_IN, attn, tokens, qDim);
        float[] o = linear(w.attnOutput(), attn, tokens);
        if (w.attnPostNorm() != null) VectorOps.rmsNorm(o, w.attnPostNorm(), eps, tokens, h, o);
        VectorOps.add(x, o, x.length);

        // gated MLP
        VectorOps.rmsNorm(x, w.ffnNorm(), eps, tokens, h, xb);
        hooks.linearInput(layer, CapturePoint.FFN_IN, xb, tokens, h);
        float[] gate = linear(w.ffnGate(), xb, tokens);
        float[] up = linear(w.ffnUp(), xb, tokens);
        if (config.activation() == Activation.SILU) {
            VectorOps.siluMul(gate, up, tokens * ffn);
        } else {
            VectorOps.geluMul(gate, up, tokens * ffn);
        }
        hooks.linearInput(layer, CapturePoint.FFN_DOWN_IN, gate, tokens, ffn);
        float[] down = linear(w.ffnDown(), gate, tokens);
        if (w.ffnPostNorm() != null) VectorOps.rmsNorm(down, w.ffnPostNorm(), eps, tokens, h, down);
        VectorOps.add(x, down, x.length);
        hooks.blockOutput(layer, x, tokens, h);
    }

    /** The output norm applied to a copy of the residual stream: [tokens, embeddingLength]. */
    public float[] finalNorm(float[] x, int tokens) {
        float[] out = new float[x.length];
        VectorOps.rmsNorm(x, weights.outputNorm(), config.rmsNormEps(), tokens, config.embeddingLength(), out);
        return out;
    }

    /**
     * Logits of {@code rows} consecutive rows of final hidden states starting at row {@code from}.
     *
     * @param hidden [*, embeddingLength]
     * @param out    [rows, vocabSize], overwritten
     */
    public void logits(float[] hidden, int from, int rows, float[] out) {
        int h = config.embeddingLength();
        float[] slice = from == 0 && hidden.length == rows * h ? hidden : java.util.Arrays.copyOfRange(hidden, from * h, (from + rows) * h);
        Linear head = weights.output();
        MatMul.xwT(slice, rows, h, head.weight(), head.out(), out);
    }

    private static float[] linear(Linear l, float[] x, int rows) {
        float[] y = new float[rows * l.out()];
        MatMul.xwT(x, rows, l.in(), l.weight(), l.out(), y);
        float[] b = l.bias();
        if (b != null) {
            for (int r = 0; r < rows; r++) VectorOps.add(y, r * l.out(), b, l.out());
        }
        return y;
    }
}
