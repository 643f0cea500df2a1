package dev.prune4j.train.nn;

/**
 * How a differentiable forward runs.
 *
 * @param training  dropout on (adapters' dropout); off for evaluation
 * @param recompute keep only each block's input and recompute the block during backward (less memory, ~1/3 more time)
 * @param seed      seed of this forward's dropout masks (each block and module derives its own)
 * @param taps      what methods insert at the {@link Site}s
 */
public record ForwardOptions(boolean training, boolean recompute, long seed, Taps taps) {
    /** Evaluation: no dropout, no recomputation, no taps. */
    public static final ForwardOptions EVAL = new ForwardOptions(false, false, 0, Taps.NONE);

    public ForwardOptions withTaps(Taps t) { return new ForwardOptions(training, recompute, seed, t); }
}
