package dev.prune4j.eval.report;

import dev.prune4j.eval.bench.PeakMemory;
import dev.prune4j.eval.bench.SpeedRow;
import dev.prune4j.eval.ppl.PerplexityResult;
import dev.prune4j.eval.zeroshot.ExampleOutcome;
import dev.prune4j.eval.zeroshot.Proportion;
import dev.prune4j.eval.zeroshot.TaskResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON form of results (snake_case keys, stable order), shared by the commands' {@code --json} and the reports. */
public final class ReportJson {
    private ReportJson() {}

    public static Map<String, Object> facts(ModelFacts f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", f.name());
        m.put("path", f.path());
        m.put("sha256", f.sha256());
        m.put("file_bytes", f.fileBytes());
        m.put("stored_types", f.storedTypes());
        m.put("parameters", f.parameters());
        m.put("linear_weights", f.linearWeights());
        m.put("linear_zeros", f.linearZeros());
        m.put("linear_sparsity", f.linearSparsity());
        m.put("bos", f.bos());
        return m;
    }

    public static Map<String, Object> perplexity(PerplexityResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("perplexity", r.perplexity());
        m.put("mean_nll", r.meanNll());
        m.put("scored_tokens", r.scoredTokens());
        m.put("windows", r.windows());
        m.put("seconds", r.seconds());
        return m;
    }

    /** A task's scores; with {@code perExample} also every example's outcome. */
    public static Map<String, Object> task(TaskResult t, boolean perExample) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", t.task());
        m.put("source", t.source());
        m.put("mode", t.mode());
        m.put("examples", t.n());
        m.put("chance", t.chance());
        proportion(m, "acc", t.acc());
        if (t.accNorm() != null) proportion(m, "acc_norm", t.accNorm());
        if (t.mode().equals("generative")) m.put("unanswered", t.unanswered());
        m.put("truncated_contexts", t.truncated());
        m.put("seconds", t.seconds());
        if (perExample) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (ExampleOutcome o : t.outcomes()) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("gold", o.gold());
                r.put("prediction", o.prediction());
                if (o.logLikelihoods() != null) {
                    r.put("prediction_norm", o.predictionNorm());
                    r.put("loglikelihoods", o.logLikelihoods());
                    r.put("continuation_tokens", o.continuationTokens());
                }
                if (o.response() != null) r.put("response", o.response());
                rows.add(r);
            }
            m.put("per_example", rows);
        }
        return m;
    }

    private static void proportion(Map<String, Object> m, String key, Proportion p) {
        m.put(key, p.value());
        m.put(key + "_stderr", p.stderr());
        m.put(key + "_ci95", p.wilson95());
        m.put(key + "_correct", p.correct());
    }

    public static List<Map<String, Object>> speed(List<SpeedRow> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SpeedRow r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("prompt_tokens", r.promptTokens());
            m.put("prefill_tokens_per_second", r.prefillTokensPerSecond());
            m.put("time_to_first_token_ms", r.timeToFirstTokenMs());
            m.put("decode_tokens", r.decodeTokens());
            m.put("decode_tokens_per_second", r.decodeTokensPerSecond());
            out.add(m);
        }
        return out;
    }

    public static Map<String, Object> memory(PeakMemory.Reading r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("peak_heap_bytes", r.heapBytes());
        m.put("live_heap_bytes", r.liveHeapBytes());
        m.put("peak_rss_bytes", r.rssBytes());
        m.put("peak_rss_since", r.rssSinceReset() ? "reset before loading" : "process start");
        return m;
    }

    public static Map<String, Object> report(ComparisonReport report) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("protocol", report.protocol().asMap());
        List<Map<String, Object>> models = new ArrayList<>();
        for (int i = 0; i < report.models().size(); i++) {
            ModelEvaluation e = report.models().get(i);
            Map<String, Object> m = facts(e.facts());
            m.put("linear_removed_vs_reference", report.removed(i));
            if (e.perplexity() != null) m.put("perplexity", perplexity(e.perplexity()));
            m.put("zero_shot", e.zeroShot().stream().map(t -> task(t, false)).toList());
            if (!e.speed().isEmpty()) m.put("speed", speed(e.speed()));
            if (e.memory() != null) m.put("memory", memory(e.memory()));
            models.add(m);
        }
        root.put("models", models);
        return root;
    }
}
