package dev.prune4j.train.nn;

import dev.prune4j.train.autograd.Tape;
import dev.prune4j.train.autograd.Tensor;

/**
 * What a method inserts into the forward: at each {@link Site} the tensor may be replaced by any differentiable
 * function of it (a mask, {@code x + L1·L0·x}, ...). Taps inside a block must be pure functions of their inputs and
 * parameters: with activation recomputation the block runs again during backward.
 */
@FunctionalInterface
public interface Taps {
    Taps NONE = (tape, site, layer, x) -> x;

    /**
     * @param layer the block index (-1 for {@link Site#EMBEDDING})
     * @return the tensor the forward continues with ({@code x} itself for no change), same shape as x
     */
    Tensor apply(Tape tape, Site site, int layer, Tensor x);

    /** This tap, then {@code next}. */
    default Taps then(Taps next) {
        return (tape, site, layer, x) -> next.apply(tape, site, layer, apply(tape, site, layer, x));
    }
}
