package dev.prune4j.cli;

import dev.prune4j.eval.bench.SpeedBenchmark;
import dev.prune4j.eval.bench.SpeedRow;
import dev.prune4j.eval.bench.SpeedSettings;
import dev.prune4j.eval.ppl.PerplexityProtocol;
import dev.prune4j.eval.report.ComparisonRunner;
import dev.prune4j.model.LanguageModel;
import dev.prune4j.tensor.Parallel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Perplexity and speed of a model before and after structured pruning, under one protocol: the same text, windows,
 * prompt and threads for both. Results go to the run log as they come and into two report sections.
 */
final class PruneMeasurements {
    /**
     * The speed check: a short prompt and a few greedy steps at batch 1, the median of 3 runs after the bench's 2
     * warm-ups (the perplexity pass warms the prefill kernels, not the single-token decode path).
     */
    static final SpeedSettings SPEED = new SpeedSettings(new int[] {128}, 32, SpeedSettings.DEFAULT_WARMUPS, 3);

    private final RunLog log;
    private final Map<String, Double> timings;
    private final String text;              // null when neither perplexity nor speed is measured
    private final int[] evalTokens;         // null without perplexity
    private final PerplexityProtocol protocol;
    private final Map<String, Object> perplexity; // text, protocol, before, after; null without perplexity
    private final Map<String, Object> speed;      // settings, threads, before, after; null without speed

    /**
     * @param evalPath the text of the perplexity windows and the speed prompt, or null when neither is measured
     */
    PruneMeasurements(LanguageModel dense, Path evalPath, boolean perplexity, boolean speed, PruneOptions o, RunLog log,
                      Map<String, Double> timings) throws IOException {
        this.log = log;
        this.timings = timings;
        this.text = evalPath == null ? null : Files.readString(evalPath);
        int bos = dense.tokenizer().addBos() ? dense.tokenizer().bos() : -1;
        this.protocol = new PerplexityProtocol(o.evalWindow, o.evalMaxTokens, bos);
        this.evalTokens = perplexity ? dense.tokenizer().encode(text) : null;
        this.perplexity = perplexity ? new LinkedHashMap<>() : null;
        if (perplexity) {
            this.perplexity.put("text", evalPath.toString());
            this.perplexity.put("protocol", protocol.describe());
        }
        this.speed = speed ? new LinkedHashMap<>() : null;
        if (speed) {
            this.speed.put("settings", SPEED.describe() + "; the prompt is the first tokens of " + evalPath);
            this.speed.put("threads", Parallel.threads());
        }
    }

    /** Measures {@code m} and records it under {@code when} ("before" or "after"). */
    void measure(LanguageModel m, String when) throws IOException {
        if (perplexity != null) {
            perplexity.put(when, PruneOutputs.perplexity(m, evalTokens, protocol, "ppl " + when, log, timings, "eval_" + when));
        }
        if (speed == null) return;
        int[] prompt = ComparisonRunner.promptTokens(m, text, SPEED.promptLengths()[0]);
        long t0 = System.nanoTime();
        List<SpeedRow> rows;
        try (ProgressBars bar = new ProgressBars("speed " + when, SPEED.warmups() + SPEED.repetitions(), "runs")) {
            rows = new SpeedBenchmark(m.transformer()).run(prompt, SPEED, bar);
        }
        timings.put("speed_" + when, (System.nanoTime() - t0) / 1e9);
        SpeedRow r = rows.getFirst();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("prompt_tokens", r.promptTokens());
        row.put("prefill_tokens_per_second", r.prefillTokensPerSecond());
        row.put("time_to_first_token_ms", r.timeToFirstTokenMs());
        row.put("decode_tokens", r.decodeTokens());
        row.put("decode_tokens_per_second", r.decodeTokensPerSecond());
        speed.put(when, row);
        log.event("speed_" + when, row);
    }

    /** The perplexity section, or null when not measured. */
    Map<String, Object> perplexity() { return perplexity; }

    /** The speed section, or null when not measured. */
    Map<String, Object> speed() { return speed; }
}
