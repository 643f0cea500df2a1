package dev.prune4j.train.data;

/**
 * One training sequence: input tokens and, per position, the token to predict there or
 * {@link dev.prune4j.train.loss.CrossEntropyLoss#IGNORE} (prompt positions of instruction data).
 *
 * @param tokens  [n]
 * @param targets [n]
 */
public record Example(int[] tokens, int[] targets) {
    public Example {
        if (tokens.length != targets.length || tokens.length == 0) {
            throw new IllegalArgumentException("example needs as many targets as tokens (> 0), got " + tokens.length + " and " + targets.length);
        }
    }

    public int length() { return tokens.length; }
}
