package dev.prune4j.eval.ppl;

/**
 * The perplexity protocol of prune4j (written into every report): the text is tokenized once, the first
 * {@code maxTokens} tokens are kept and cut into consecutive non-overlapping windows of {@code window} tokens (the
 * last may be shorter). Each window is evaluated on its own, as BOS followed by its tokens when the model adds BOS
 * (every token then scored, the first given BOS alone), or from the window's second token otherwise.
 *
 * @param window    tokens per window (512 by default, 128 to compare with LLM-Pruner/FLAP tables)
 * @param maxTokens tokens of the text kept; 0 or negative keeps all
 * @param bos       BOS id prepended to each window, or -1 when the model adds none
 */
public record PerplexityProtocol(int window, int maxTokens, int bos) {
    public PerplexityProtocol {
        if (window < 2) throw new IllegalArgumentException("window must be at least 2 tokens, got " + window);
    }

    public String describe() {
        return "windows of " + window + " tokens, non-overlapping, " + (maxTokens > 0 ? "first " + maxTokens + " tokens" : "all tokens")
                + ", " + (bos >= 0 ? "BOS (" + bos + ") prepended, every token scored" : "no BOS, scored from each window's second token");
    }
}
