package dev.prune4j.prune.structure;

import dev.prune4j.model.config.Activation;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.forward.ForwardHooks;
import dev.prune4j.model.forward.Transformer;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.Linear;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.model.weights.RandomWeights;
import dev.prune4j.tensor.kernels.Rope;
import java.util.Random;

/** Small random models of each architecture feature surgery must handle, and their logits. */
public final class TinyModels {
    /** More tokens than Gemma's window (5) and than the attention's per-query threshold, so both paths run. */
    public static final int[] TOKENS = {3, 17, 42, 8, 29, 11, 5, 36, 23, 47, 1, 14};

    private TinyModels() {}

    /** Llama-like: GQA 4/2 heads, SwiGLU, adjacent-pair RoPE, untied output, 3 layers. */
    public static ModelConfig llama(float eps) {
        return new ModelConfig("llama", 3, 32, 50, 64, new int[] {4, 4, 4}, new int[] {2, 2, 2},
                new int[] {48, 48, 48}, 8, eps, 10000f, 10000f, 1f, 8, Rope.Layout.NORMAL, 0, 0, Activation.SILU, 1f,
                false, false, false);
    }

    /**
     * Gemma-3-like: GQA 4/2, GeGLU, NeoX RoPE, QK-norm, sandwich norms, tied and √d-scaled embeddings, sliding
     * window 5 with every 2nd layer global, 4 layers.
     */
    public static ModelConfig gemma() {
        return new ModelConfig("gemma3", 4, 32, 50, 64, new int[] {4, 4, 4, 4}, new int[] {2, 2, 2, 2},
                new int[] {40, 40, 40, 40}, 16, 1e-6f, 1e6f, 1e4f, 1f, 16, Rope.Layout.NEOX, 5, 2,
                Activation.GELU_TANH, (float) Math.sqrt(32), true, true, true);
    }

    /** Gemma-3-like with llama.cpp's fixed local/global pattern (6, which GGUF has no key for), 2 local layers. */
    public static ModelConfig gemmaAsGgufReadsIt() {
        return new ModelConfig("gemma3", 2, 32, 50, 64, new int[] {4, 4}, new int[] {2, 2}, new int[] {40, 40}, 16,
                1e-6f, 1e6f, 1e4f, 1f, 16, Rope.Layout.NEOX, 5, 6, Activation.GELU_TANH, (float) Math.sqrt(32), true,
                true, true);
    }

    /** Qwen2-like: GQA 6/2 with q/k/v biases, NeoX RoPE, tied, 3 layers. */
    public static ModelConfig qwen2() {
        return new ModelConfig("qwen2", 3, 24, 50, 64, new int[] {6, 6, 6}, new int[] {2, 2, 2},
                new int[] {32, 32, 32}, 8, 1e-6f, 1e6f, 1e6f, 1f, 8, Rope.Layout.NEOX, 0, 0, Activation.SILU, 1f,
                true, false, false);
    }

    /** Random weights for a config, with random q/k/v biases when the architecture has them (Qwen2). */
    public static ModelWeights weights(ModelConfig c, long seed) {
        ModelWeights w = RandomWeights.create(c, seed);
        if (!c.architecture().equals("qwen2")) return w;
        Random r = new Random(seed + 1);
        BlockWeights[] blocks = w.blocks().clone();
        for (int i = 0; i < blocks.length; i++) {
            BlockWeights b = blocks[i];
            blocks[i] = new BlockWeights(b.attnNorm(), biased(b.attnQ(), r), biased(b.attnK(), r), biased(b.attnV(), r),
                    b.attnQNorm(), b.attnKNorm(), b.attnOutput(), b.attnPostNorm(), b.ffnNorm(), b.ffnGate(), b.ffnUp(),
                    b.ffnDown(), b.ffnPostNorm());
        }
        return new ModelWeights(w.tokenEmbd(), blocks, w.outputNorm(), w.output(), w.tied());
    }

    private static Linear biased(Linear l, Random r) {
        float[] b = new float[l.out()];
        for (int i = 0; i < b.length; i++) b[i] = 0.5f * (float) r.nextGaussian();
        return new Linear(l.out(), l.in(), l.weight(), b);
    }

    /**
     * The weights with a random bias of RMS {@code rms} on every o_proj and down_proj, as FLAP's bias compensation
     * leaves them; the other arrays are shared, not copied.
     */
    public static ModelWeights withOutputBiases(ModelWeights w, double rms, long seed) {
        Random r = new Random(seed);
        BlockWeights[] blocks = new BlockWeights[w.blocks().length];
        for (int i = 0; i < blocks.length; i++) {
            BlockWeights b = w.blocks()[i];
            blocks[i] = new BlockWeights(b.attnNorm(), b.attnQ(), b.attnK(), b.attnV(), b.attnQNorm(), b.attnKNorm(),
                    withBias(b.attnOutput(), rms, r), b.attnPostNorm(), b.ffnNorm(), b.ffnGate(), b.ffnUp(),
                    withBias(b.ffnDown(), rms, r), b.ffnPostNorm());
        }
        return new ModelWeights(w.tokenEmbd(), blocks, w.outputNorm(), w.output(), w.tied());
    }

    private static Linear withBias(Linear l, double rms, Random r) {
        float[] b = new float[l.out()];
        for (int i = 0; i < b.length; i++) b[i] = (float) (rms * r.nextGaussian());
        return new Linear(l.out(), l.in(), l.weight(), b);
    }

    /** A deep copy, so one model can be masked while the original is cut. */
    public static ModelWeights copy(ModelWeights w) {
        BlockWeights[] blocks = new BlockWeights[w.blocks().length];
        for (int i = 0; i < blocks.length; i++) {
            BlockWeights b = w.blocks()[i];
            blocks[i] = new BlockWeights(clone(b.attnNorm()), copy(b.attnQ()), copy(b.attnK()), copy(b.attnV()),
                    clone(b.attnQNorm()), clone(b.attnKNorm()), copy(b.attnOutput()), clone(b.attnPostNorm()),
                    clone(b.ffnNorm()), copy(b.ffnGate()), copy(b.ffnUp()), copy(b.ffnDown()), clone(b.ffnPostNorm()));
        }
        float[] embd = w.tokenEmbd().clone();
        Linear out = w.tied() ? new Linear(w.output().out(), w.output().in(), embd, null) : copy(w.output());
        return new ModelWeights(embd, blocks, w.outputNorm().clone(), out, w.tied());
    }

    private static Linear copy(Linear l) {
        return new Linear(l.out(), l.in(), l.weight().clone(), clone(l.bias()));
    }

    private static float[] clone(float[] v) {
        return v == null ? null : v.clone();
    }

    /** Seeded random scores for every group kind of a config. */
    public static StructureScores randomScores(ModelConfig c, long seed) {
        Random r = new Random(seed);
        int layers = c.blockCount();
        float[][] q = new float[layers][], kv = new float[layers][], ffn = new float[layers][];
        for (int l = 0; l < layers; l++) {
            q[l] = random(r, c.headCount(l));
            kv[l] = random(r, c.headCountKv(l));
            ffn[l] = random(r, c.feedForwardLength(l));
        }
        return new StructureScores("random", q, kv, ffn, random(r, c.embeddingLength()), random(r, layers));
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = r.nextFloat();
        return a;
    }

    /** Logits of every position of {@code tokens}: [tokens, vocab]. */
    public static float[] logits(ModelConfig c, ModelWeights w, int[] tokens) {
        Transformer t = new Transformer(c, w);
        float[] h = t.forward(tokens, t.newCache(tokens.length), ForwardHooks.NONE);
        float[] out = new float[tokens.length * c.vocabSize()];
        t.logits(h, 0, tokens.length, out);
        return out;
    }

    /** max |a − b| / max |a|. */
    public static double relativeDifference(float[] a, float[] b) {
        double diff = 0, scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(a[i]));
        }
        return diff / scale;
    }
}
