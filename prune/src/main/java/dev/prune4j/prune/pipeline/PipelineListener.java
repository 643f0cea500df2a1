package dev.prune4j.prune.pipeline;

/** Observes a sequential run: progress bars and run logs hang here. */
public interface PipelineListener {
    PipelineListener NONE = new PipelineListener() {};

    /** A phase starts ({@code "owl"} statistics or {@code "prune"}), over {@code layers} layers. */
    default void phaseStarted(String phase, int layers) {}

    default void linearPruned(LinearRecord record) {}

    default void layerFinished(String phase, int layer, double seconds) {}

    /** Something the user must hear of (fallbacks, odd statistics). */
    default void warning(String message) {}
}
