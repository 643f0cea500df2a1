package dev.prune4j.eval;

/** Log-probabilities from a row of logits, accumulated in double: what perplexity and zero-shot scoring read. */
public final class LogSoftmax {
    private LogSoftmax() {}

    /**
     * {@code log softmax(row)[target]}.
     *
     * @param logits [*, vocab]; the row starts at {@code off}
     */
    public static float at(float[] logits, int off, int vocab, int target) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) max = Math.max(max, logits[off + i]);
        double sum = 0;
        for (int i = 0; i < vocab; i++) sum += Math.exp(logits[off + i] - max);
        return (float) (logits[off + target] - max - Math.log(sum));
    }
}
