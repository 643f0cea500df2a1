package dev.prune4j.train.lora;

import dev.prune4j.train.autograd.DropoutOp;
import dev.prune4j.train.autograd.ElementwiseOps;
import dev.prune4j.train.autograd.LinearOp;
import dev.prune4j.train.autograd.Tape;
import dev.prune4j.train.autograd.Tensor;
import dev.prune4j.train.nn.LinearAdapter;

/** A low-rank update of one frozen linear: {@code delta(x) = (alpha/r) · dropout(x)·Aᵀ·Bᵀ}, trained in fp32. */
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
    public Tensor delta(Tape tape, Tensor x, boolean training, long seed) {
        Tensor in = training && dropout > 0 ? DropoutOp.forward(tape, x, dropout, seed) : x;
        Tensor low = LinearOp.forward(tape, in, a, null);
        return ElementwiseOps.scale(tape, LinearOp.forward(tape, low, b, null), scale);
    }
}
