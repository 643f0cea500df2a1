package dev.prune4j.train.autograd;

import dev.prune4j.model.config.Activation;
import dev.prune4j.tensor.Parallel;
import dev.prune4j.tensor.kernels.FastMath;
import dev.prune4j.tensor.kernels.VectorOps;

/**
 * The gated MLP activation {@code y = act(gate) ⊙ up}: SwiGLU ({@code act = silu}) or GeGLU with tanh-GELU. The
 * forward is the inference kernel; the backward uses {@code silu'(g) = σ(g)·(1 + g·(1 − σ(g)))} and
 * {@code gelu'(g) = ½(1 + tanh u) + ½·g·(1 − tanh² u)·√(2/π)·(1 + 3·0.044715·g²)}, {@code u = √(2/π)(g + 0.044715 g³)}.
 */
public final class GatedActivationOp {
    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2.0 / Math.PI);
    private static final int CHUNK = 1 << 13;

    private GatedActivationOp() {}

    /**
     * @param gate [..., n]
     * @param up   same shape as gate
     */
    public static Tensor forward(Tape tape, Tensor gate, Tensor up, Activation act) {
        if (gate.size() != up.size()) throw new IllegalArgumentException("gated activation: gate " + gate + " and up " + up + " differ in size");
        float[] y = gate.data().clone();
        if (act == Activation.SILU) {
            VectorOps.siluMul(y, up.data(), y.length);
        } else {
            VectorOps.geluMul(y, up.data(), y.length);
        }
        boolean g = tape.needsGrad(gate, up);
        Tensor result = tape.output(y, g, gate.shape());
        if (g) tape.record(result, () -> backward(gate, up, act, result.grad()));
        return result;
    }

    private static void backward(Tensor gate, Tensor up, Activation act, float[] dy) {
        float[] gd = gate.data(), ud = up.data();
        float[] dg = gate.requiresGrad() ? gate.grad() : null, du = up.requiresGrad() ? up.grad() : null;
        Parallel.forRange(gd.length, CHUNK, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                float g = gd[i], a, da;
                if (act == Activation.SILU) {
                    float s = 1f / (1f + FastMath.exp(-g));
                    a = g * s;
                    da = s * (1f + g * (1f - s));
                } else {
                    float inner = (g * g * g * 0.044715f + g) * SQRT_2_OVER_PI;
                    float t = FastMath.tanh(inner);
                    a = 0.5f * g * (1f + t);
                    da = 0.5f * (1f + t) + 0.5f * g * (1f - t * t) * SQRT_2_OVER_PI * (1f + 3f * 0.044715f * g * g);
                }
                if (du != null) du[i] += dy[i] * a;
                if (dg != null) dg[i] += dy[i] * ud[i] * da;
            }
        });
    }
}
