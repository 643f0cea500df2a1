package dev.prune4j.train.nn;

import dev.prune4j.model.config.Activation;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.tensor.kernels.Rope;
import java.util.Map;

/**
 * The decoder in plain fp64 loops, written independently of the fp32 ops: the oracle of the whole-model gradient
 * checks (finite differences need fp64 through 2–5 layers) and a second check of the forward. Tensors by the
 * Hugging Face names of {@link Decoder#tensors()}.
 */
public final class ReferenceDecoder {
    private final ModelConfig c;
    private final Map<String, double[]> t;

    public ReferenceDecoder(ModelConfig c, Map<String, double[]> tensors) {
        this.c = c;
        this.t = tensors;
    }

    /** Mean cross-entropy over targets ≥ 0 of the logits of {@code batch} sequences laid end to end. */
    public double loss(int[] tokens, int batch, int[] targets) {
        double[] z = logits(tokens, batch);
        int v = c.vocabSize(), n = 0;
        double sum = 0;
        for (int r = 0; r < targets.length; r++) {
            if (targets[r] < 0) continue;
            double max = Double.NEGATIVE_INFINITY, s = 0;
            for (int j = 0; j < v; j++) max = Math.max(max, z[r * v + j]);
            for (int j = 0; j < v; j++) s += Math.exp(z[r * v + j] - max);
            sum += max + Math.log(s) - z[r * v + targets[r]];
            n++;
        }
        return sum / n;
    }

    public double[] logits(int[] tokens, int batch) {
        int d = c.embeddingLength(), rows = tokens.length, seq = rows / batch;
        double[] emb = t.get("model.embed_tokens.weight");
        double[] x = new double[rows * d];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < d; i++) x[r * d + i] = emb[tokens[r] * d + i] * c.embeddingScale();
        }
        for (int l = 0; l < c.blockCount(); l++) x = block(l, x, batch, seq);
        double[] h = norm(x, t.get("model.norm.weight"), d);
        double[] head = c.tiedEmbeddings() ? emb : t.get("lm_head.weight");
        return linear(h, head, null, d, c.vocabSize());
    }

    private double[] block(int l, double[] x, int batch, int seq) {
        String p = "model.layers." + l + ".";
        int d = c.embeddingLength(), hd = c.headDim(), nh = c.headCount(l), nkv = c.headCountKv(l), f = c.feedForwardLength(l);
        boolean gemma = c.architecture().equals("gemma3");
        double[] xb = norm(x, t.get(p + "input_layernorm.weight"), d);
        double[] q = linear(xb, t.get(p + "self_attn.q_proj.weight"), t.get(p + "self_attn.q_proj.bias"), d, nh * hd);
        double[] k = linear(xb, t.get(p + "self_attn.k_proj.weight"), t.get(p + "self_attn.k_proj.bias"), d, nkv * hd);
        double[] v = linear(xb, t.get(p + "self_attn.v_proj.weight"), t.get(p + "self_attn.v_proj.bias"), d, nkv * hd);
        if (c.qkNorm()) {
            q = norm(q, t.get(p + "self_attn.q_norm.weight"), hd);
            k = norm(k, t.get(p + "self_attn.k_norm.weight"), hd);
        }
        boolean sliding = c.isSlidingLayer(l);
        double base = sliding ? c.ropeFreqBaseSwa() : c.ropeFreqBase();
        rope(q, nh, seq, base);
        rope(k, nkv, seq, base);
        double[] att = attention(q, k, v, batch, seq, nh, nkv, hd, sliding ? c.slidingWindow() : 0);
        double[] o = linear(att, t.get(p + "self_attn.o_proj.weight"), null, nh * hd, d);
        if (c.sandwichNorms()) o = norm(o, t.get(p + "post_attention_layernorm.weight"), d);
        double[] x1 = x.clone();
        for (int i = 0; i < x1.length; i++) x1[i] += o[i];
        double[] xb2 = norm(x1, t.get(p + (gemma ? "pre_feedforward_layernorm.weight" : "post_attention_layernorm.weight")), d);
        double[] g = linear(xb2, t.get(p + "mlp.gate_proj.weight"), null, d, f);
        double[] u = linear(xb2, t.get(p + "mlp.up_proj.weight"), null, d, f);
        for (int i = 0; i < g.length; i++) g[i] = act(g[i]) * u[i];
        double[] down = linear(g, t.get(p + "mlp.down_proj.weight"), null, f, d);
        if (c.sandwichNorms()) down = norm(down, t.get(p + "post_feedforward_layernorm.weight"), d);
        for (int i = 0; i < x1.length; i++) x1[i] += down[i];
        return x1;
    }

    private double act(double g) {
        if (c.activation() == Activation.SILU) return g / (1 + Math.exp(-g));
        return 0.5 * g * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (g + 0.044715 * g * g * g)));
    }

    private double[] norm(double[] x, double[] gain, int width) {
        double[] y = new double[x.length];
        for (int r = 0; r < x.length / width; r++) {
            double ss = 0;
            for (int i = 0; i < width; i++) ss += x[r * width + i] * x[r * width + i];
            double inv = 1 / Math.sqrt(ss / width + c.rmsNormEps());
            for (int i = 0; i < width; i++) y[r * width + i] = x[r * width + i] * inv * gain[i];
        }
        return y;
    }

    private static double[] linear(double[] x, double[] w, double[] b, int in, int out) {
        int rows = x.length / in;
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < out; j++) {
                double s = b == null ? 0 : b[j];
                for (int i = 0; i < in; i++) s += x[r * in + i] * w[j * in + i];
                y[r * out + j] = s;
            }
        }
        return y;
    }

    private void rope(double[] x, int heads, int seq, double base) {
        int hd = c.headDim(), half = c.ropeDim() / 2;
        for (int r = 0; r < x.length / (heads * hd); r++) {
            int pos = r % seq;
            for (int h = 0; h < heads; h++) {
                int b = (r * heads + h) * hd;
                for (int i = 0; i < half; i++) {
                    double a = pos * c.ropeScale() * Math.pow(base, -2.0 * i / c.ropeDim());
                    int i0 = c.ropeLayout() == Rope.Layout.NORMAL ? b + 2 * i : b + i;
                    int i1 = c.ropeLayout() == Rope.Layout.NORMAL ? b + 2 * i + 1 : b + i + half;
                    double x0 = x[i0], x1 = x[i1];
                    x[i0] = x0 * Math.cos(a) - x1 * Math.sin(a);
                    x[i1] = x0 * Math.sin(a) + x1 * Math.cos(a);
                }
            }
        }
    }

    private static double[] attention(double[] q, double[] k, double[] v, int batch, int seq, int nh, int nkv, int hd, int window) {
        double[] out = new double[q.length];
        int group = nh / nkv;
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < nh; h++) {
                for (int tq = 0; tq < seq; tq++) {
                    int qo = ((b * seq + tq) * nh + h) * hd;
                    int first = window > 0 ? Math.max(0, tq - window + 1) : 0;
                    double[] s = new double[tq + 1];
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int j = first; j <= tq; j++) {
                        int ko = ((b * seq + j) * nkv + h / group) * hd;
                        double dot = 0;
                        for (int i = 0; i < hd; i++) dot += q[qo + i] * k[ko + i];
                        s[j] = dot / Math.sqrt(hd);
                        max = Math.max(max, s[j]);
                    }
                    for (int j = first; j <= tq; j++) sum += s[j] = Math.exp(s[j] - max);
                    for (int j = first; j <= tq; j++) {
                        int vo = ((b * seq + j) * nkv + h / group) * hd;
                        for (int i = 0; i < hd; i++) out[qo + i] += s[j] / sum * v[vo + i];
                    }
                }
            }
        }
        return out;
    }
}
