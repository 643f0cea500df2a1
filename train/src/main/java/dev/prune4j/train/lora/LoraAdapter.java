package dev.prune4j.train.lora;

import dev.prune4j.tensor.kernels.Gemm;
import dev.prune4j.tensor.kernels.MatMul;
import dev.prune4j.train.autograd.DropoutMask;
import dev.prune4j.train.autograd.LinearOp;
import dev.prune4j.train.autograd.Tape;
import dev.prune4j.train.autograd.Tensor;
import dev.prune4j.train.nn.LinearAdapter;

/**
 * A low-rank update of one frozen linear, fused with it: {@code y = x·Wᵀ + b + s·(d(x)·Aᵀ)·Bᵀ} with
 * {@code s = alpha/r} and d the adapter dropout. Only the [rows, r] product {@code u = d(x)·Aᵀ} is saved (the dropout
 * mask is kept as one bit per value), instead of four [rows, out] intermediates of the unfused chain. A and B are fp32
 * parameters; W and b stay frozen.
 */
public final class LoraAdapter implements LinearAdapter {
    private final String moduleName;
    private final Tensor a; // [r, in]
    private final Tensor b; // [out, r]
    private final float scale;
    private final float dropout;

    public LoraAdapter(String moduleName, Tensor a, Tensor b, float scale, float dropout) {
        if (a.rank() != 2 || b.rank() != 2 || a.dim(0) != b.dim(1)) {
            throw new IllegalArgumentException(moduleName + ": LoRA A " + a + " and B " + b + " do not share the rank");
        }
        this.moduleName = moduleName;
        this.a = a;
        this.b = b;
        this.scale = scale;
        this.dropout = dropout;
    }

    public String moduleName() { return moduleName; }

    /** A, [r, in]. */
    public Tensor a() { return a; }

    /** B, [out, r]. */
    public Tensor b() { return b; }

    public float scale() { return scale; }

    public int rank() { return a.dim(0); }

    @Override
    public Tensor forward(Tape tape, Tensor x, Tensor weight, Tensor bias, boolean training, long seed) {
        if (weight.requiresGrad() || (bias != null && bias.requiresGrad())) {
            throw new IllegalStateException(moduleName + ": LoRA expects a frozen base weight");
        }
        int rows = x.rows(), in = a.dim(1), out = b.dim(0), r = rank();
        float p = training ? dropout : 0f;
        Tensor base = LinearOp.forward(Tape.noGrad(), x, weight, bias);
        float[] y = base.data();
        DropoutMask mask = p > 0 ? DropoutMask.draw(x.size(), p, seed) : null;
        float[] u = new float[rows * r];
        MatMul.xwT(mask != null ? mask.apply(x.data()) : x.data(), rows, in, a.data(), r, u);
        float[] su = u.clone();
        for (int i = 0; i < su.length; i++) su[i] *= scale;
        Gemm.nt(rows, out, r, su, 0, r, b.data(), 0, r, y, 0, out, true);
        boolean g = tape.needsGrad(x, a, b);
        Tensor result = tape.output(y, g, base.shape());
        if (g) {
            tape.saved(u.length + (mask != null ? mask.bytes() / 4 : 0));
            tape.record(result, () -> backward(x, weight, result.grad(), u, mask, rows, in, out, r));
        }
        return result;
    }

    /** @param dy [rows, out] @param u [rows, r] the saved d(x)·Aᵀ @param mask the dropout mask, or null */
    private void backward(Tensor x, Tensor weight, float[] dy, float[] u, DropoutMask mask, int rows, int in, int out, int r) {
        if (b.requiresGrad()) {
            float[] su = u.clone();
            for (int i = 0; i < su.length; i++) su[i] *= scale;
            Gemm.tn(out, r, rows, dy, 0, out, su, 0, r, b.grad(), 0, r, true); // dB += s·dyᵀ·u
        }
        float[] du = new float[rows * r];
        Gemm.nn(rows, r, out, dy, 0, out, b.data(), 0, r, du, 0, r, false);   // du = dy·B
        for (int i = 0; i < du.length; i++) du[i] *= scale;
        if (a.requiresGrad()) {
            float[] dx0 = mask != null ? mask.apply(x.data()) : x.data();
            Gemm.tn(r, in, rows, du, 0, r, dx0, 0, in, a.grad(), 0, in, true);    // dA += duᵀ·d(x)
        }
        if (x.requiresGrad()) {
            float[] dx = x.grad();
            Gemm.nn(rows, in, out, dy, 0, out, weight.data(), 0, in, dx, 0, in, true); // through the frozen base
            float[] dxa = new float[rows * in];
            Gemm.nn(rows, in, r, du, 0, r, a.data(), 0, in, dxa, 0, in, false);        // through the adapter
            if (mask != null) {
                mask.apply(dxa, dx, true);
            } else {
                for (int i = 0; i < dx.length; i++) dx[i] += dxa[i];
            }
        }
    }
}
