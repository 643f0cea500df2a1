package dev.prune4j.cli;

import dev.prune4j.eval.Progress;
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
import java.util.Arrays;
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
            this.speed.put("settings", SPEED.describe() + ", the dense and the pruned model's timed runs alternating; "
                    + "the prompt is the first tokens of " + evalPath);
            this.speed.put("threads", Parallel.threads());
        }
    }

    /** Perplexity of {@code m}, recorded under {@code when} ("before" or "after"). */
    void perplexity(LanguageModel m, String when) throws IOException {
        if (perplexity == null) return;
        perplexity.put(when, PruneOutputs.perplexity(m, evalTokens, protocol, "ppl " + when, log, timings, "eval_" + when));
    }

    /**
     * Speed of the dense model (null: not measured) and the pruned one. Their timed runs alternate, dense then pruned,
     * so that both see the same machine load and the same compiled kernels; each model first gets its warm-ups.
     */
    void speed(LanguageModel dense, LanguageModel pruned) {
        if (speed == null) return;
        List<LanguageModel> models = dense == null ? List.of(pruned) : List.of(dense, pruned);
        List<String> names = dense == null ? List.of("after") : List.of("before", "after");
        SpeedSettings first = new SpeedSettings(SPEED.promptLengths(), SPEED.decodeTokens(), SPEED.warmups(), 1);
        SpeedSettings next = new SpeedSettings(SPEED.promptLengths(), SPEED.decodeTokens(), 0, 1);
        int runs = SPEED.warmups() + SPEED.repetitions();
        double[][] ttft = new double[models.size()][SPEED.repetitions()], decode = new double[models.size()][SPEED.repetitions()];
        long t0 = System.nanoTime();
        try (ProgressBars bar = new ProgressBars("speed", (long) models.size() * runs, "runs")) {
            int done = 0;
            for (int rep = 0; rep < SPEED.repetitions(); rep++) {
                for (int i = 0; i < models.size(); i++) {
                    LanguageModel m = models.get(i);
                    int[] prompt = ComparisonRunner.promptTokens(m, text, SPEED.promptLengths()[0]);
                    SpeedRow r = new SpeedBenchmark(m.transformer()).run(prompt, rep == 0 ? first : next, Progress.NONE).getFirst();
                    ttft[i][rep] = r.timeToFirstTokenMs() / 1e3;
                    decode[i][rep] = r.decodeTokens() / r.decodeTokensPerSecond();
                    done += rep == 0 ? SPEED.warmups() + 1 : 1;
                    bar.update(done, (long) models.size() * runs);
                }
            }
        }
        timings.put("speed", (System.nanoTime() - t0) / 1e9);
        for (int i = 0; i < models.size(); i++) {
            int promptTokens = SPEED.promptLengths()[0];
            double t = median(ttft[i]), d = median(decode[i]);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("prompt_tokens", promptTokens);
            row.put("prefill_tokens_per_second", promptTokens / t);
            row.put("time_to_first_token_ms", t * 1e3);
            row.put("decode_tokens", SPEED.decodeTokens());
            row.put("decode_tokens_per_second", SPEED.decodeTokens() / d);
            speed.put(names.get(i), row);
            log.event("speed_" + names.get(i), row);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** The perplexity section, or null when not measured. */
    Map<String, Object> perplexity() { return perplexity; }

    /** The speed section, or null when not measured. */
    Map<String, Object> speed() { return speed; }
}
