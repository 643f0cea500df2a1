package dev.prune4j.train.nn;

import dev.prune4j.train.autograd.Tape;
import dev.prune4j.train.autograd.Tensor;

/**
 * A trainable modification of a frozen linear layer (LoRA and its variants). It computes the layer's whole output,
 * so an implementation may fuse the base product with its own update and save only what its backward needs.
 */
public interface LinearAdapter {
    /**
     * @param x      [rows, in]
     * @param weight the base weight [out, in]
     * @param bias   [out] or null
     * @param seed   dropout seed of this module in this forward (the same when a block is recomputed)
     * @return [rows, out]
     */
    Tensor forward(Tape tape, Tensor x, Tensor weight, Tensor bias, boolean training, long seed);
}
