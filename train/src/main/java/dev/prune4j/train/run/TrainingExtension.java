package dev.prune4j.train.run;

import dev.prune4j.train.autograd.Tape;
import dev.prune4j.train.autograd.Tensor;
import dev.prune4j.train.nn.Taps;
import dev.prune4j.train.optim.ParamGroup;
import java.util.List;

/**
 * What a learned pruning method adds to a training run, in one place: its own parameters (mask scores, low-rank
 * operators, dual variables), each group with its learning rate; where it acts in the forward ({@link Taps}); extra
 * loss terms; and hooks around each optimizer update (a temperature schedule before, a projection or a dual clamp
 * after). Every hook has a no-op default.
 */
public interface TrainingExtension {
    /** Extra trainable parameters; they are optimised, clipped and checkpointed with the rest. */
    default List<ParamGroup> parameterGroups() { return List.of(); }

    /** Where the method acts in the forward. */
    default Taps taps() { return Taps.NONE; }

    /** An extra loss term for this step (e.g. a sparsity or identity regulariser), or null. */
    default Tensor regularizer(Tape tape, int step) { return null; }

    /** Before the step's forward passes (schedules of temperatures, offsets, freezing). */
    default void beforeStep(int step) {}

    /** After the optimizer update: projections (top-k of mask scores), clamps (dual variables ≥ 0). */
    default void afterUpdate(int step) {}
}
