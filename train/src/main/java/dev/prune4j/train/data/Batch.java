package dev.prune4j.train.data;

import dev.prune4j.train.loss.CrossEntropyLoss;

/**
 * Sequences of equal length laid end to end, right-padded with ignored targets (padding comes after the real tokens,
 * so causal attention keeps it out of their results).
 *
 * @param tokens  [batch·seqLen]
 * @param targets [batch·seqLen]
 */
public record Batch(int[] tokens, int[] targets, int batch, int seqLen) {
    public Batch {
        if (tokens.length != batch * seqLen || targets.length != tokens.length) {
            throw new IllegalArgumentException("batch of " + batch + "×" + seqLen + " with " + tokens.length + " tokens and "
                    + targets.length + " targets");
        }
    }

    /** Positions whose target counts in the loss. */
    public int targetCount() {
        int n = 0;
        for (int t : targets) if (t != CrossEntropyLoss.IGNORE) n++;
        return n;
    }
}
