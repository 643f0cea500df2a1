package dev.prune4j.eval.report;

import dev.prune4j.eval.bench.PeakMemory;
import dev.prune4j.eval.bench.SpeedRow;
import dev.prune4j.eval.ppl.PerplexityResult;
import dev.prune4j.eval.zeroshot.TaskResult;
import java.util.List;

/**
 * Everything measured on one model for a comparison.
 *
 * @param facts      identity and size
 * @param perplexity perplexity by the report's protocol, or null when not measured
 * @param zeroShot   one result per task, in the report's task order
 * @param speed      one row per prompt length; empty when not measured
 * @param memory     peak memory over loading and the speed benchmark, or null
 */
public record ModelEvaluation(ModelFacts facts, PerplexityResult perplexity, List<TaskResult> zeroShot,
                              List<SpeedRow> speed, PeakMemory.Reading memory) {
    public ModelEvaluation {
        zeroShot = List.copyOf(zeroShot);
        speed = List.copyOf(speed);
    }
}
