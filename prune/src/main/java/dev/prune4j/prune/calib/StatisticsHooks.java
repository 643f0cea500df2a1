package dev.prune4j.prune.calib;

import dev.prune4j.model.forward.CapturePoint;
import dev.prune4j.model.forward.ForwardHooks;
import java.util.Map;

/** Forward hooks that feed each capture point's input into its statistics (points without statistics are ignored). */
public final class StatisticsHooks implements ForwardHooks {
    private final Map<CapturePoint, InputStatistics> stats;

    public StatisticsHooks(Map<CapturePoint, InputStatistics> stats) {
        this.stats = stats;
    }

    @Override
    public void linearInput(int layer, CapturePoint point, float[] x, int rows, int cols) {
        InputStatistics s = stats.get(point);
        if (s != null) s.add(x, rows);
    }
}
