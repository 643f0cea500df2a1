package dev.prune4j.eval.report;

import dev.prune4j.eval.bench.PeakMemory;
import dev.prune4j.eval.bench.SpeedRow;
import dev.prune4j.eval.ppl.PerplexityResult;
import dev.prune4j.eval.zeroshot.Proportion;
import dev.prune4j.eval.zeroshot.TaskResult;
import java.util.List;

/** A made-up three-model comparison with round numbers, so rendered tables and charts can be checked by eye and by value. */
final class ReportFixtures {
    private ReportFixtures() {}

    static final long LINEAR = 1_000_000;

    static ModelEvaluation model(String file, long zeros, double ppl, int cloze, int next, double prefill, double decode) {
        ModelFacts f = new ModelFacts(file.replace(".gguf", ""), "/models/" + file, "ab".repeat(32), 540_000_000L, "[F32]",
                134_515_008L, LINEAR, zeros, -1);
        PerplexityResult p = new PerplexityResult(4094, Math.log(ppl), 8, 12.5, new float[0]);
        List<TaskResult> tasks = List.of(
                new TaskResult("sotu-cloze", "built-in sotu-cloze v1", "loglikelihood", 0.25, new Proportion(cloze - 20, 400),
                        new Proportion(cloze, 400), 0, 0, 30, List.of()),
                new TaskResult("sotu-next-sentence", "built-in sotu-next-sentence v1", "loglikelihood", 0.25,
                        new Proportion(next, 400), new Proportion(next + 10, 400), 0, 0, 60, List.of()));
        List<SpeedRow> speed = List.of(new SpeedRow(128, prefill, 128 / prefill * 1e3, 32, decode),
                new SpeedRow(512, prefill * 0.9, 512 / (prefill * 0.9) * 1e3, 32, decode * 0.8));
        return new ModelEvaluation(f, p, tasks, speed, new PeakMemory.Reading(900_000_000L, 600_000_000L, 1_500_000_000L, true));
    }

    static ComparisonReport report() {
        ReportProtocol protocol = new ReportProtocol("0.1.0-test", "sotu:test, windows of 512", "loglikelihood, 400 examples, seed 0",
                "prompts of [128, 512]", "Java 25, 2 threads", "2026-01-01T00:00:00Z");
        return new ComparisonReport(protocol, List.of(
                model("dense.gguf", 0, 36.0, 300, 280, 400, 25),
                model("mag70.gguf", 700_000, 5000.0, 110, 105, 410, 26),
                model("mag50.gguf", 500_000, 80.0, 240, 200, 395, 24)));
    }
}
