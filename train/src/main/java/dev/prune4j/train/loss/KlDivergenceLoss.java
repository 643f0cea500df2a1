package dev.prune4j.train.loss;

import dev.prune4j.tensor.Parallel;
import dev.prune4j.train.autograd.Tape;
import dev.prune4j.train.autograd.Tensor;

/**
 * Distillation loss {@code T² · mean_rows KL(softmax(t/T) ‖ softmax(s/T))} from a teacher's logits {@code t} to the
 * student's {@code s} at temperature T (the T² keeps gradient sizes comparable across temperatures, as in Hinton et
 * al.). Rows whose target is {@code ignoreIndex} (padding) are left out. Gradient {@code T/N · (p_s − p_t)}.
 */
public final class KlDivergenceLoss {
    private KlDivergenceLoss() {}

    /**
     * @param student [rows, vocab]
     * @param teacher [rows·vocab] constant
     * @param targets [rows] only to skip ignored rows
     */
    public static Tensor forward(Tape tape, Tensor student, float[] teacher, float temperature, int[] targets, int ignoreIndex) {
        int vocab = student.cols(), rows = student.rows();
        if (teacher.length != student.size() || targets.length != rows) {
            throw new IllegalArgumentException("KL: teacher has " + teacher.length + " logits and " + targets.length
                    + " targets for student " + student);
        }
        if (!(temperature > 0)) throw new IllegalArgumentException("KL temperature must be positive, got " + temperature);
        float inv = 1f / temperature;
        float[] s = student.data();
        float[] lseS = new float[rows], lseT = new float[rows];
        double[] kl = new double[rows];
        Parallel.forRange(rows, 2, (r0, r1) -> {
            float[] pt = new float[vocab];
            for (int r = r0; r < r1; r++) {
                if (targets[r] == ignoreIndex) continue;
                int off = r * vocab;
                lseS[r] = (float) RowSoftmax.logSumExp(s, off, vocab, inv);
                lseT[r] = (float) RowSoftmax.logSumExp(teacher, off, vocab, inv);
                RowSoftmax.softmax(teacher, off, vocab, inv, lseT[r], pt, 0);
                double sum = 0;
                for (int j = 0; j < vocab; j++) {
                    // log p_t − log p_s = (t − s)/T − lseT + lseS
                    sum += pt[j] * ((teacher[off + j] - s[off + j]) * inv - lseT[r] + lseS[r]);
                }
                kl[r] = sum;
            }
        });
        int counted = 0;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            if (targets[r] == ignoreIndex) continue;
            counted++;
            total += kl[r];
        }
        int n = counted;
        float t2 = temperature * temperature;
        boolean g = tape.needsGrad(student);
        Tensor result = tape.output(new float[] {n == 0 ? 0f : (float) (t2 * total / n)}, g);
        if (g && n > 0) {
            tape.saved(2L * rows);
            tape.record(result, () -> {
                float scale = result.grad()[0] * temperature / n;
                float[] ds = student.grad();
                Parallel.forRange(rows, 2, (r0, r1) -> {
                    float[] ps = new float[vocab], pt = new float[vocab];
                    for (int r = r0; r < r1; r++) {
                        if (targets[r] == ignoreIndex) continue;
                        int off = r * vocab;
                        RowSoftmax.softmax(s, off, vocab, inv, lseS[r], ps, 0);
                        RowSoftmax.softmax(teacher, off, vocab, inv, lseT[r], pt, 0);
                        for (int j = 0; j < vocab; j++) ds[off + j] += scale * (ps[j] - pt[j]);
                    }
                });
            });
        }
        return result;
    }
}
