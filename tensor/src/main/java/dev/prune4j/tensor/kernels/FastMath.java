package dev.prune4j.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * exp and tanh for the activation kernels, from IEEE add/mul/fma only, with scalar twins that compute exactly the
 * same thing. The Vector API's {@code EXP}/{@code TANH} use a C2 intrinsic whose results differ in the last bits from
 * the interpreter's fallback (measured: 97% of softmax calls changed bits after JIT warm-up), which made forward
 * passes depend on when the JIT compiled them. Range reduction {@code x = n·ln2 + r} (ln2 split hi/lo) and the
 * degree-6 minimax polynomial of Cephes' {@code expf}; relative error below 2e-7 on [-87, 88]; arguments above 88 give exp(88).
 */
public final class FastMath {
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float MAX_ARG = 88f;        // keeps n <= 127, so 2^n is a normal float
    private static final float MIN_ARG = -87.33654f; // 2^-126: below this the result flushes to 0
    /** 1.5·2^23: adding and subtracting it rounds a float below 2^22 to the nearest integer. */
    private static final float ROUND = 12582912f;
    private static final float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f,
            P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    private FastMath() {}

    public static FloatVector exp(FloatVector x) {
        var sp = x.species();
        FloatVector xc = x.max(MIN_ARG).min(MAX_ARG);
        FloatVector n = xc.mul(LOG2E).add(ROUND).sub(ROUND);
        FloatVector r = n.fma(FloatVector.broadcast(sp, -LN2_HI), xc);
        r = n.fma(FloatVector.broadcast(sp, -LN2_LO), r);
        FloatVector p = r.fma(P0, P1);
        p = p.fma(r, FloatVector.broadcast(sp, P2));
        p = p.fma(r, FloatVector.broadcast(sp, P3));
        p = p.fma(r, FloatVector.broadcast(sp, P4));
        p = p.fma(r, FloatVector.broadcast(sp, P5));
        p = p.mul(r.mul(r)).add(r).add(1f);
        IntVector bits = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        FloatVector y = p.mul(bits.reinterpretAsFloats());
        return y.blend(0f, x.compare(VectorOperators.LT, MIN_ARG));
    }

    /** The scalar twin of {@link #exp(FloatVector)}: the same operations in the same order. */
    public static float exp(float x) {
        float xc = Math.min(Math.max(x, MIN_ARG), MAX_ARG);
        float n = (xc * LOG2E + ROUND) - ROUND;
        float r = Math.fma(n, -LN2_HI, xc);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(r, P0, P1), r, P2), r, P3), r, P4), r, P5);
        p = p * (r * r) + r + 1f;
        float y = p * Float.intBitsToFloat(((int) n + 127) << 23);
        return x < MIN_ARG ? 0f : y;
    }

    /** tanh(x) = (e - 1) / (e + 1) with e = exp(2x); absolute error below 3e-7. */
    public static FloatVector tanh(FloatVector x) {
        FloatVector e = exp(x.mul(2f));
        return e.sub(1f).div(e.add(1f));
    }

    /** The scalar twin of {@link #tanh(FloatVector)}. */
    public static float tanh(float x) {
        float e = exp(x * 2f);
        return (e - 1f) / (e + 1f);
    }
}
