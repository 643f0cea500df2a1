package dev.prune4j.eval.ppl;

/**
 * Outcome of a perplexity run.
 *
 * @param scoredTokens tokens whose log-probability was summed
 * @param meanNll      mean negative log-likelihood (nats) over the scored tokens
 * @param windows      windows evaluated
 * @param seconds      wall time of the forward passes
 * @param logProbs     per scored token, in order (natural log)
 */
public record PerplexityResult(long scoredTokens, double meanNll, int windows, double seconds, float[] logProbs) {
    public double perplexity() {
        return Math.exp(meanNll);
    }

    public double tokensPerSecond() {
        return scoredTokens / Math.max(seconds, 1e-9);
    }
}
