package dev.prune4j.cli;

import dev.prune4j.prune.structure.score.ScoreProgress;
import java.util.Map;

/** Shows a structured scoring run as a progress bar with ETA (one step per calibration sequence, or per layer for l2). */
final class ScoreBars implements ScoreProgress, AutoCloseable {
    private final RunLog log;
    private ProgressBars bar;
    private String phase;

    ScoreBars(RunLog log) {
        this.log = log;
    }

    @Override
    public void step(String phase, int done, int total) {
        if (!phase.equals(this.phase)) {
            close();
            this.phase = phase;
            bar = new ProgressBars("scoring " + phase, total, phase.equals("l2") ? "layers" : "sequences");
            log.event("phase", Map.of("phase", "score " + phase, "steps", total));
        }
        bar.update(done, total);
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
        bar = null;
    }
}
