package dev.prune4j.train.autograd;

/**
 * Inverted dropout: each value is kept with probability {@code 1 − p} and scaled by {@code 1/(1 − p)}. The mask comes
 * from {@code seed} alone ({@link DropoutMask}), so a recomputed block draws the same one; the backward keeps one bit
 * per value.
 */
public final class DropoutOp {
    private DropoutOp() {}

    public static Tensor forward(Tape tape, Tensor x, float p, long seed) {
        if (p == 0) return x;
        DropoutMask mask = DropoutMask.draw(x.size(), p, seed);
        float[] y = mask.apply(x.data());
        boolean g = tape.needsGrad(x);
        Tensor result = tape.output(y, g, x.shape());
        if (g) {
            tape.saved(mask.bytes() / 4);
            tape.record(result, () -> mask.apply(result.grad(), x.grad(), true));
        }
        return result;
    }
}
