package dev.prune4j.eval.zeroshot;

import dev.prune4j.eval.Progress;

/** Scores a task on one model: by log-likelihood or by generation. */
public interface MultipleChoiceScorer {
    TaskResult evaluate(Task task, Progress progress);
}
