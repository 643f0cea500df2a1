package dev.prune4j.prune.structure.score;

/** Progress of a scoring run, one step per calibration sample (or per layer when no data is read). */
@FunctionalInterface
public interface ScoreProgress {
    ScoreProgress NONE = (phase, done, total) -> {};

    /** {@code done} of {@code total} steps of {@code phase} are finished. */
    void step(String phase, int done, int total);
}
