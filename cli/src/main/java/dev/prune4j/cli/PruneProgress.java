package dev.prune4j.cli;

import dev.prune4j.prune.pipeline.LinearRecord;
import dev.prune4j.prune.pipeline.PipelineListener;
import java.util.List;
import java.util.Map;

/** Shows a pruning run's phases as progress bars with ETA (one step per layer) and copies every event to the run log. */
final class PruneProgress implements PipelineListener, AutoCloseable {
    private final RunLog log;
    private final List<String> warnings;
    private ProgressBars bar;
    private int done;
    private int total;

    PruneProgress(RunLog log, List<String> warnings) {
        this.log = log;
        this.warnings = warnings;
    }

    @Override
    public void phaseStarted(String phase, int layers) {
        if (bar != null) bar.close();
        bar = new ProgressBars(phase.equals("owl") ? "OWL stats" : "pruning", layers, "layers");
        done = 0;
        total = layers;
        log.event("phase", Map.of("phase", phase, "layers", layers));
    }

    @Override
    public void linearPruned(LinearRecord record) {
        log.event("linear", record);
    }

    @Override
    public void layerFinished(String phase, int layer, double seconds) {
        bar.update(++done, total);
        log.event("layer", Map.of("phase", phase, "layer", layer, "seconds", seconds));
    }

    @Override
    public void warning(String message) {
        warnings.add(message);
        System.err.println("warning: " + message);
        log.event("warning", message);
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
