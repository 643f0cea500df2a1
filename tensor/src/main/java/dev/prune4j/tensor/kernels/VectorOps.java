package dev.prune4j.tensor.kernels;

/** Element-wise and row-wise fp32 operations of the decoder: norms, activations, softmax, residual adds. */
public final class VectorOps {
    private VectorOps() {}

    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s = 0;
        for (int i = 0; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    /**
     * RMSNorm of each of {@code rows} rows of width {@code n}: {@code out = x / rms(x) * w}.
     * GGUF files of Gemma already store {@code 1 + w}, so one form serves every architecture here.
     */
    public static void rmsNorm(float[] x, float[] w, float eps, int rows, int n, float[] out) {
        for (int r = 0; r < rows; r++) {
            int o = r * n;
            double ss = 0;
            for (int i = 0; i < n; i++) ss += (double) x[o + i] * x[o + i];
            float inv = (float) (1.0 / Math.sqrt(ss / n + eps));
            for (int i = 0; i < n; i++) out[o + i] = x[o + i] * inv * w[i];
        }
    }

    /** In-place softmax of {@code a[off .. off+n)}. */
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

    /** SwiGLU: {@code gate[i] = silu(gate[i]) * up[i]}. */
    public static void siluMul(float[] gate, float[] up, int n) {
        for (int i = 0; i < n; i++) {
            float g = gate[i];
            gate[i] = g / (1f + (float) Math.exp(-g)) * up[i];
        }
    }

    /** GeGLU with the tanh approximation of GELU (Gemma's {@code gelu_pytorch_tanh}): {@code gate = gelu(gate) * up}. */
    public static void geluMul(float[] gate, float[] up, int n) {
        final float c = (float) Math.sqrt(2.0 / Math.PI);
        for (int i = 0; i < n; i++) {
            float g = gate[i];
            gate[i] = 0.5f * g * (1f + (float) Math.tanh(c * (g + 0.044715f * g * g * g))) * up[i];
        }
    }

    /** {@code a += b} over {@code n} elements. */
    public static void add(float[] a, float[] b, int n) {
        for (int i = 0; i < n; i++) a[i] += b[i];
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
        for (int i = 0; i < n; i++) a[i] *= s;
    }
}
