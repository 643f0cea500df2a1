package dev.prune4j.eval;

/** Receives progress of long work; the CLI draws a bar with ETA from it, tests pass {@link #NONE}. */
@FunctionalInterface
public interface Progress {
    Progress NONE = (done, total) -> {};

    void update(long done, long total);
}
