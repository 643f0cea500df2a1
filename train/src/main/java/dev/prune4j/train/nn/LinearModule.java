package dev.prune4j.train.nn;

import dev.prune4j.train.autograd.LinearOp;
import dev.prune4j.train.autograd.Tape;
import dev.prune4j.train.autograd.Tensor;

/**
 * One linear layer of the decoder: its base weight and bias (frozen unless selected), and an optional adapter.
 * {@link #name()} is the Hugging Face module name ({@code model.layers.3.self_attn.q_proj}, {@code lm_head}), the name
 * adapters and patterns use.
 */
public final class LinearModule {
    private final String name;
    private final int index;
    private final Tensor weight; // [out, in]
    private final Tensor bias;   // [out] or null
    private LinearAdapter adapter;

    LinearModule(String name, int index, Tensor weight, Tensor bias) {
        this.name = name;
        this.index = index;
        this.weight = weight;
        this.bias = bias;
    }

    public String name() { return name; }

    /** Position in the decoder's list of linears: derives this module's dropout seed. */
    public int index() { return index; }

    public Tensor weight() { return weight; }

    public Tensor bias() { return bias; }

    public int in() { return weight.dim(1); }

    public int out() { return weight.dim(0); }

    public LinearAdapter adapter() { return adapter; }

    /** Attaches (or with null removes) the adapter. */
    public void setAdapter(LinearAdapter adapter) { this.adapter = adapter; }

    /** @param x [rows, in] @return [rows, out] */
    public Tensor forward(Tape tape, Tensor x, boolean training, long seed) {
        return adapter == null ? LinearOp.forward(tape, x, weight, bias) : adapter.forward(tape, x, weight, bias, training, seed);
    }
}
