package dev.prune4j.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise and row-wise fp32 operations of the decoder: norms, activations, softmax, residual adds.
 * Each has a Vector-API path and the scalar original in {@link Reference}; the scalar tail of every loop is the
 * reference code itself.
 */
public final class VectorOps {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();
    /** Squares one fp32 lane sums before rmsNorm moves the partial sum into a double (see sumOfSquares). */
    private static final int SQUARES_PER_LANE = 8;
    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2.0 / Math.PI);

    private VectorOps() {}

    /** Dot product of {@code a[aOff ..+n)} and {@code b[bOff ..+n)}, with four accumulators to hide FMA latency. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        if (!Simd.ENABLED) return Reference.dot(a, aOff, b, bOff, n);
        FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (int bound = n - 4 * L; i <= bound; i += 4 * L) {
            s0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), s0);
            s1 = FloatVector.fromArray(F, a, aOff + i + L).fma(FloatVector.fromArray(F, b, bOff + i + L), s1);
            s2 = FloatVector.fromArray(F, a, aOff + i + 2 * L).fma(FloatVector.fromArray(F, b, bOff + i + 2 * L), s2);
            s3 = FloatVector.fromArray(F, a, aOff + i + 3 * L).fma(FloatVector.fromArray(F, b, bOff + i + 3 * L), s3);
        }
        for (int bound = n - L; i <= bound; i += L) {
            s0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), s0);
        }
        float s = Simd.sum(s0.add(s1).add(s2.add(s3)));
        return s + Reference.dot(a, aOff + i, b, bOff + i, n - i);
    }

    /**
     * RMSNorm of each of {@code rows} rows of width {@code n}: {@code out = x / rms(x) * w}.
     * GGUF files of Gemma already store {@code 1 + w}, so one form serves every architecture here.
     *
     * @param x   [rows, n]
     * @param w   [n]
     * @param out [rows, n], may be {@code x}
     */
    public static void rmsNorm(float[] x, float[] w, float eps, int rows, int n, float[] out) {
        if (!Simd.ENABLED) {
            Reference.rmsNorm(x, w, eps, rows, n, out);
            return;
        }
        for (int r = 0; r < rows; r++) {
            int o = r * n;
            float inv = (float) (1.0 / Math.sqrt(sumOfSquares(x, o, n) / n + eps));
            int i = 0;
            for (int bound = F.loopBound(n); i < bound; i += L) {
                FloatVector.fromArray(F, x, o + i).mul(inv).mul(FloatVector.fromArray(F, w, i)).intoArray(out, o + i);
            }
            for (; i < n; i++) out[o + i] = x[o + i] * inv * w[i];
        }
    }

    /**
     * Sum of squares, close to the reference's double sum: each lane adds at most {@value #SQUARES_PER_LANE} squares
     * in fp32 before the partial sum moves into a double, which bounds the relative error by about 11 ulp.
     */
    private static double sumOfSquares(float[] x, int off, int n) {
        double ss = 0;
        int i = 0;
        int chunk = SQUARES_PER_LANE * L;
        for (int bound = n - chunk; i <= bound; i += chunk) {
            FloatVector acc = FloatVector.zero(F);
            for (int j = 0; j < chunk; j += L) {
                FloatVector v = FloatVector.fromArray(F, x, off + i + j);
                acc = v.fma(v, acc);
            }
            ss += Simd.sum(acc);
        }
        for (; i < n; i++) ss += (double) x[off + i] * x[off + i];
        return ss;
    }

    /** In-place softmax of {@code a[off .. off+n)}. */
    public static void softmax(float[] a, int off, int n) {
        if (!Simd.ENABLED) {
            Reference.softmax(a, off, n);
            return;
        }
        int bound = F.loopBound(n);
        FloatVector maxV = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i < bound; i += L) maxV = maxV.max(FloatVector.fromArray(F, a, off + i));
        float max = maxV.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) max = Math.max(max, a[off + i]);

        FloatVector sumV = FloatVector.zero(F);
        for (i = 0; i < bound; i += L) {
            FloatVector e = FastMath.exp(FloatVector.fromArray(F, a, off + i).sub(max));
            e.intoArray(a, off + i);
            sumV = sumV.add(e);
        }
        float sum = Simd.sum(sumV);
        for (; i < n; i++) {
            float e = FastMath.exp(a[off + i] - max);
            a[off + i] = e;
            sum += e;
        }
        scale(a, off, 1f / sum, n);
    }

    /** SwiGLU: {@code gate[i] = silu(gate[i]) * up[i]}. */
    public static void siluMul(float[] gate, float[] up, int n) {
        if (!Simd.ENABLED) {
            Reference.siluMul(gate, up, n);
            return;
        }
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector g = FloatVector.fromArray(F, gate, i);
            FloatVector sigmoidDenominator = FastMath.exp(g.neg()).add(1f);
            g.div(sigmoidDenominator).mul(FloatVector.fromArray(F, up, i)).intoArray(gate, i);
        }
        for (; i < n; i++) gate[i] = gate[i] / (1f + FastMath.exp(-gate[i])) * up[i];
    }

    /** GeGLU with the tanh approximation of GELU (Gemma's {@code gelu_pytorch_tanh}): {@code gate = gelu(gate) * up}. */
    public static void geluMul(float[] gate, float[] up, int n) {
        if (!Simd.ENABLED) {
            Reference.geluMul(gate, up, n);
            return;
        }
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector g = FloatVector.fromArray(F, gate, i);
            FloatVector inner = g.mul(g).mul(g).mul(0.044715f).add(g).mul(SQRT_2_OVER_PI);
            FloatVector halfG = g.mul(0.5f);
            halfG.mul(FastMath.tanh(inner).add(1f)).mul(FloatVector.fromArray(F, up, i))
                    .intoArray(gate, i);
        }
        for (; i < n; i++) {
            float g = gate[i];
            float inner = (g * g * g * 0.044715f + g) * SQRT_2_OVER_PI;
            gate[i] = g * 0.5f * (FastMath.tanh(inner) + 1f) * up[i];
        }
    }

    /** {@code a += b} over {@code n} elements. */
    public static void add(float[] a, float[] b, int n) {
        if (!Simd.ENABLED) {
            Reference.add(a, b, n);
            return;
        }
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(F, a, i).add(FloatVector.fromArray(F, b, i)).intoArray(a, i);
        }
        for (; i < n; i++) a[i] += b[i];
    }

    /** {@code y[yOff..] += a * x[xOff..]} over {@code n} elements. */
    public static void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] += a * x[xOff + i];
    }

    /** {@code a[aOff..] += b[0..n)}: adds a bias row. */
    public static void add(float[] a, int aOff, float[] b, int n) {
        for (int i = 0; i < n; i++) a[aOff + i] += b[i];
    }

    /** {@code a *= s} over {@code n} elements. */
    public static void scale(float[] a, float s, int n) {
        scale(a, 0, s, n);
    }

    /** {@code a[off ..+n) *= s}. */
    public static void scale(float[] a, int off, float s, int n) {
        if (!Simd.ENABLED) {
            for (int i = 0; i < n; i++) a[off + i] *= s;
            return;
        }
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(F, a, off + i).mul(s).intoArray(a, off + i);
        }
        for (; i < n; i++) a[off + i] *= s;
    }

    /** The scalar originals: the oracles for the vector paths above, with the same signatures. */
    public static final class Reference {
        private Reference() {}

        public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
            float s = 0;
            for (int i = 0; i < n; i++) s += a[aOff + i] * b[bOff + i];
            return s;
        }

        public static void rmsNorm(float[] x, float[] w, float eps, int rows, int n, float[] out) {
            for (int r = 0; r < rows; r++) {
                int o = r * n;
                double ss = 0;
                for (int i = 0; i < n; i++) ss += (double) x[o + i] * x[o + i];
                float inv = (float) (1.0 / Math.sqrt(ss / n + eps));
                for (int i = 0; i < n; i++) out[o + i] = x[o + i] * inv * w[i];
            }
        }

        public static void softmax(float[] a, int off, int n) {
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) max = Math.max(max, a[off + i]);
            float sum = 0;
            for (int i = 0; i < n; i++) {
                float e = (float) Math.exp(a[off + i] - max);
                a[off + i] = e;
                sum += e;
            }
            float inv = 1f / sum;
            for (int i = 0; i < n; i++) a[off + i] *= inv;
        }

        public static void siluMul(float[] gate, float[] up, int n) {
            for (int i = 0; i < n; i++) {
                float g = gate[i];
                gate[i] = g / (1f + (float) Math.exp(-g)) * up[i];
            }
        }

        public static void geluMul(float[] gate, float[] up, int n) {
            for (int i = 0; i < n; i++) gate[i] = gelu(gate[i]) * up[i];
        }

        static float gelu(float g) {
            return 0.5f * g * (1f + (float) Math.tanh(SQRT_2_OVER_PI * (g + 0.044715f * g * g * g)));
        }

        public static void add(float[] a, float[] b, int n) {
            for (int i = 0; i < n; i++) a[i] += b[i];
        }

        public static void scale(float[] a, float s, int n) {
            for (int i = 0; i < n; i++) a[i] *= s;
        }
    }
}
