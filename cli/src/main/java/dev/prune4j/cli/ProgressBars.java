package dev.prune4j.cli;

import dev.prune4j.eval.Progress;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A console progress bar with ETA, on stderr so that stdout stays machine-readable. */
final class ProgressBars implements Progress, AutoCloseable {
    private final ProgressBar bar;

    ProgressBars(String task, long total, String unit) {
        this.bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(" " + unit, 1)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                .showSpeed()
                .build();
    }

    @Override
    public void update(long done, long total) {
        bar.maxHint(total);
        bar.stepTo(done);
    }

    /** Text shown after the bar (e.g. the current loss and speed). */
    void message(String text) {
        bar.setExtraMessage(text);
    }

    @Override
    public void close() {
        bar.close();
    }
}
