package dev.prune4j.train.nn;

import dev.prune4j.train.autograd.MaskGates;
import dev.prune4j.train.autograd.Tape;
import dev.prune4j.train.autograd.Tensor;
import java.util.function.DoubleSupplier;

/** How a {@link ChannelMask} turns its scores into mask values on each forward. */
@FunctionalInterface
public interface MaskGate {
    /** @param scores [groups] @return [groups] the mask values */
    Tensor values(Tape tape, Tensor scores);

    /** The scores are the mask (e.g. a projected mask that a step hook keeps in shape). */
    static MaskGate identity() {
        return (tape, scores) -> scores;
    }

    /**
     * {@code σ(τ·s) + β} with τ and β read on every forward, so a schedule can move them (PAT's temperature rises
     * and its offset decays to 0 over training).
     */
    static MaskGate sigmoid(DoubleSupplier temperature, DoubleSupplier offset) {
        return (tape, scores) -> MaskGates.sigmoid(tape, scores, (float) temperature.getAsDouble(), (float) offset.getAsDouble());
    }

    /** A hard forward (threshold, top-k, ...) with the straight-through gradient. */
    static MaskGate straightThrough(MaskGates.HardGate hard) {
        return (tape, scores) -> MaskGates.straightThrough(tape, scores, hard);
    }
}
