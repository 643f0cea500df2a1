package dev.prune4j.train.loss;

import dev.prune4j.train.autograd.Tape;
import dev.prune4j.train.autograd.Tensor;

/** Mean squared error {@code mean((a − b)²)}, e.g. between student and teacher hidden states; gradient {@code 2(a − b)/n}. */
public final class MseLoss {
    private MseLoss() {}

    /** @param a, b same size; either may be a constant (a teacher's hidden states) */
    public static Tensor forward(Tape tape, Tensor a, Tensor b) {
        if (a.size() != b.size()) throw new IllegalArgumentException("MSE: " + a + " and " + b + " differ in size");
        float[] ad = a.data(), bd = b.data();
        int n = ad.length;
        double s = 0;
        for (int i = 0; i < n; i++) {
            double d = (double) ad[i] - bd[i];
            s += d * d;
        }
        boolean g = tape.needsGrad(a, b);
        Tensor result = tape.output(new float[] {(float) (s / n)}, g);
        if (g) {
            tape.record(result, () -> {
                float scale = 2f * result.grad()[0] / n;
                if (a.requiresGrad()) {
                    float[] da = a.grad();
                    for (int i = 0; i < n; i++) da[i] += scale * (ad[i] - bd[i]);
                }
                if (b.requiresGrad()) {
                    float[] db = b.grad();
                    for (int i = 0; i < n; i++) db[i] -= scale * (ad[i] - bd[i]);
                }
            });
        }
        return result;
    }
}
