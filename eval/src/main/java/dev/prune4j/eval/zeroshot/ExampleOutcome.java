package dev.prune4j.eval.zeroshot;

/**
 * What the model did on one example.
 *
 * @param gold               index of the correct choice
 * @param prediction         the choice with the highest log-likelihood (acc), or the parsed option letter in
 *                           generative mode (-1 when the response named none)
 * @param predictionNorm     the choice with the highest log-likelihood per character (acc_norm); -1 in generative mode
 * @param logLikelihoods     per choice, the summed log-probability of its continuation tokens (natural log); null in
 *                           generative mode
 * @param continuationTokens per choice, the number of tokens scored; null in generative mode
 * @param response           the generated text in generative mode; null otherwise
 */
public record ExampleOutcome(int gold, int prediction, int predictionNorm, double[] logLikelihoods,
                             int[] continuationTokens, String response) {}
