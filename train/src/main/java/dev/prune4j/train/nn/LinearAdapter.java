package dev.prune4j.train.nn;

import dev.prune4j.train.autograd.Tape;
import dev.prune4j.train.autograd.Tensor;

/** A trainable addition to a frozen linear layer (LoRA and its variants): {@code y = x·Wᵀ + b + delta(x)}. */
public interface LinearAdapter {
    /**
     * @param x    [rows, in]
     * @param seed dropout seed of this module in this forward (the same when a block is recomputed)
     * @return [rows, out]
     */
    Tensor delta(Tape tape, Tensor x, boolean training, long seed);
}
