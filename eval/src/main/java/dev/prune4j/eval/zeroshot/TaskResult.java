package dev.prune4j.eval.zeroshot;

import java.util.List;

/**
 * A task's scores on one model.
 *
 * @param task       the task's name
 * @param source     where its examples came from ({@link Task#source()})
 * @param mode       {@code loglikelihood} or {@code generative}
 * @param chance     expected accuracy of uniform guessing
 * @param acc        accuracy: the highest log-likelihood, or the first option letter of the response
 * @param accNorm    accuracy by log-likelihood per character of the choice; null in generative mode
 * @param unanswered generative mode: responses without an option letter (counted wrong); 0 otherwise
 * @param truncated  examples whose context was cut from the left to fit the model's length
 * @param seconds    wall time
 * @param outcomes   per example, in order
 */
public record TaskResult(String task, String source, String mode, double chance, Proportion acc, Proportion accNorm,
                         int unanswered, int truncated, double seconds, List<ExampleOutcome> outcomes) {
    public int n() {
        return acc.n();
    }
}
