package dev.prune4j.train.autograd;

/**
 * Small element-wise ops: residual add, product, constant scale, sum. Enough to combine losses and regularisers
 * ({@code task + λ·penalty}) and to write new ops' tests.
 */
public final class ElementwiseOps {
    private ElementwiseOps() {}

    /** {@code a + b}, same size; the residual add of the decoder. */
    public static Tensor add(Tape tape, Tensor a, Tensor b) {
        checkSameSize("add", a, b);
        float[] y = a.data().clone();
        float[] bd = b.data();
        for (int i = 0; i < y.length; i++) y[i] += bd[i];
        boolean g = tape.needsGrad(a, b);
        Tensor result = tape.output(y, g, a.shape());
        if (g) {
            tape.record(result, () -> {
                float[] dy = result.grad();
                if (a.requiresGrad()) accumulate(a.grad(), dy, 1f);
                if (b.requiresGrad()) accumulate(b.grad(), dy, 1f);
            });
        }
        return result;
    }

    /** {@code a ⊙ b}, same size. */
    public static Tensor mul(Tape tape, Tensor a, Tensor b) {
        checkSameSize("mul", a, b);
        float[] ad = a.data(), bd = b.data(), y = new float[ad.length];
        for (int i = 0; i < y.length; i++) y[i] = ad[i] * bd[i];
        boolean g = tape.needsGrad(a, b);
        Tensor result = tape.output(y, g, a.shape());
        if (g) {
            tape.record(result, () -> {
                float[] dy = result.grad();
                if (a.requiresGrad()) {
                    float[] da = a.grad();
                    for (int i = 0; i < dy.length; i++) da[i] += dy[i] * bd[i];
                }
                if (b.requiresGrad()) {
                    float[] db = b.grad();
                    for (int i = 0; i < dy.length; i++) db[i] += dy[i] * ad[i];
                }
            });
        }
        return result;
    }

    /** {@code s · x} for a constant s. */
    public static Tensor scale(Tape tape, Tensor x, float s) {
        float[] y = x.data().clone();
        for (int i = 0; i < y.length; i++) y[i] *= s;
        boolean g = tape.needsGrad(x);
        Tensor result = tape.output(y, g, x.shape());
        if (g) tape.record(result, () -> accumulate(x.grad(), result.grad(), s));
        return result;
    }

    /** Sum of all values (accumulated in double), as a scalar. */
    public static Tensor sum(Tape tape, Tensor x) {
        double s = 0;
        for (float v : x.data()) s += v;
        boolean g = tape.needsGrad(x);
        Tensor result = tape.output(new float[] {(float) s}, g);
        if (g) {
            tape.record(result, () -> {
                float dy = result.grad()[0];
                float[] dx = x.grad();
                for (int i = 0; i < dx.length; i++) dx[i] += dy;
            });
        }
        return result;
    }

    private static void accumulate(float[] into, float[] dy, float s) {
        for (int i = 0; i < dy.length; i++) into[i] += s * dy[i];
    }

    private static void checkSameSize(String op, Tensor a, Tensor b) {
        if (a.size() != b.size()) throw new IllegalArgumentException(op + ": " + a + " and " + b + " differ in size");
    }
}
