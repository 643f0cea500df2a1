package dev.prune4j.eval.bench;

/**
 * Speed at one prompt length: medians over the repetitions.
 *
 * @param promptTokens           tokens of the prompt (BOS included when the model adds it)
 * @param prefillTokensPerSecond prompt tokens over the time to first token
 * @param timeToFirstTokenMs     prefill of the prompt, logits of its last position, and the greedy pick of token one
 * @param decodeTokens           decode steps timed after the first token
 * @param decodeTokensPerSecond  decode steps per second; a step is one token's forward, its logits and the greedy pick
 */
public record SpeedRow(int promptTokens, double prefillTokensPerSecond, double timeToFirstTokenMs, int decodeTokens,
                       double decodeTokensPerSecond) {}
