package dev.prune4j.train.loss;

import dev.prune4j.tensor.Parallel;
import dev.prune4j.train.autograd.Tape;
import dev.prune4j.train.autograd.Tensor;

/**
 * Next-token cross-entropy: the mean over rows whose target is not {@code ignoreIndex} of
 * {@code logsumexp(z) − z[target]}. Gradient {@code (softmax(z) − onehot(target)) / N} on the counted rows.
 */
public final class CrossEntropyLoss {
    /** The ignore label of PyTorch and of the instruction data: prompt and padding positions. */
    public static final int IGNORE = -100;

    private CrossEntropyLoss() {}

    /**
     * @param logits  [rows, vocab]
     * @param targets [rows] token ids, or {@code ignoreIndex}
     * @return scalar mean loss (0 when no row counts)
     */
    public static Tensor forward(Tape tape, Tensor logits, int[] targets, int ignoreIndex) {
        int vocab = logits.cols(), rows = logits.rows();
        if (targets.length != rows) throw new IllegalArgumentException("cross-entropy: " + targets.length + " targets for " + logits);
        float[] z = logits.data();
        float[] lse = new float[rows];
        double[] nll = new double[rows];
        Parallel.forRange(rows, 4, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                if (targets[r] == ignoreIndex) continue;
                if (targets[r] < 0 || targets[r] >= vocab) {
                    throw new IllegalArgumentException("cross-entropy: target " + targets[r] + " at row " + r + " outside vocabulary " + vocab);
                }
                double l = RowSoftmax.logSumExp(z, r * vocab, vocab, 1f);
                lse[r] = (float) l;
                nll[r] = l - z[r * vocab + targets[r]];
            }
        });
        int counted = 0;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            if (targets[r] == ignoreIndex) continue;
            counted++;
            total += nll[r];
        }
        int n = counted;
        boolean g = tape.needsGrad(logits);
        Tensor result = tape.output(new float[] {n == 0 ? 0f : (float) (total / n)}, g);
        if (g && n > 0) {
            tape.saved(rows);
            tape.record(result, () -> {
                float scale = result.grad()[0] / n;
                float[] dz = logits.grad();
                Parallel.forRange(rows, 4, (r0, r1) -> {
                    float[] p = new float[vocab];
                    for (int r = r0; r < r1; r++) {
                        if (targets[r] == ignoreIndex) continue;
                        int off = r * vocab;
                        RowSoftmax.softmax(z, off, vocab, 1f, lse[r], p, 0);
                        p[targets[r]] -= 1f;
                        for (int j = 0; j < vocab; j++) dz[off + j] += scale * p[j];
                    }
                });
            });
        }
        return result;
    }

    /** The per-row negative log-likelihoods (no gradient), e.g. to report a validation loss. */
    public static double meanNll(float[] logits, int vocab, int[] targets, int ignoreIndex) {
        return CrossEntropyLoss.forward(Tape.noGrad(), Tensor.constant(logits, targets.length, vocab), targets, ignoreIndex).item();
    }
}
