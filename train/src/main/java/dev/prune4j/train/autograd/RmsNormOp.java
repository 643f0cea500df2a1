package dev.prune4j.train.autograd;

import dev.prune4j.tensor.Parallel;

/**
 * RMSNorm over groups of {@code width} values: {@code y = x · rstd · g} with {@code rstd = 1/sqrt(mean(x²) + eps)}.
 * The gain is either used as stored ({@link GainForm#PLAIN}, Llama; also what GGUF files hold for Gemma) or as
 * {@code 1 + w} ({@link GainForm#ONE_PLUS}, Gemma's Hugging Face parameterisation). With {@code width} smaller than
 * the row, each head is normalised on its own (QK-norm).
 */
public final class RmsNormOp {
    /** How the stored gain vector enters the product. */
    public enum GainForm { PLAIN, ONE_PLUS }

    private static final int MIN_ROWS_PER_THREAD = 16;

    private RmsNormOp() {}

    /**
     * @param x    [..., k·width]; normalised in groups of {@code width}
     * @param gain [width]
     * @return the shape of x
     */
    public static Tensor forward(Tape tape, Tensor x, Tensor gain, int width, float eps, GainForm form) {
        if (gain.size() != width || x.size() % width != 0) {
            throw new IllegalArgumentException("rmsnorm: gain " + gain + " and input " + x + " do not fit width " + width);
        }
        int rows = x.size() / width;
        float[] xd = x.data(), y = new float[xd.length], rstd = new float[rows];
        float[] g = effectiveGain(gain.data(), form);
        Parallel.forRange(rows, MIN_ROWS_PER_THREAD, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int o = r * width;
                double ss = 0;
                for (int i = 0; i < width; i++) ss += (double) xd[o + i] * xd[o + i];
                float inv = (float) (1.0 / Math.sqrt(ss / width + eps));
                rstd[r] = inv;
                for (int i = 0; i < width; i++) y[o + i] = xd[o + i] * inv * g[i];
            }
        });
        boolean needs = tape.needsGrad(x, gain);
        Tensor result = tape.output(y, needs, x.shape());
        if (needs) {
            tape.saved(rows);
            tape.record(result, () -> backward(x, gain, g, rstd, width, result.grad()));
        }
        return result;
    }

    private static float[] effectiveGain(float[] gain, GainForm form) {
        if (form == GainForm.PLAIN) return gain;
        float[] g = new float[gain.length];
        for (int i = 0; i < g.length; i++) g[i] = 1f + gain[i];
        return g;
    }

    /**
     * With {@code h = x·rstd}: {@code dx = rstd·(dy⊙g − h·mean(dy⊙g⊙h))} and {@code dgain = Σ_rows dy⊙h}
     * (the same for both gain forms, since d(1+w)/dw = 1).
     */
    private static void backward(Tensor x, Tensor gain, float[] g, float[] rstd, int width, float[] dy) {
        float[] xd = x.data();
        int rows = rstd.length;
        if (x.requiresGrad()) {
            float[] dx = x.grad();
            Parallel.forRange(rows, MIN_ROWS_PER_THREAD, (r0, r1) -> {
                for (int r = r0; r < r1; r++) {
                    int o = r * width;
                    float inv = rstd[r];
                    double dot = 0;
                    for (int i = 0; i < width; i++) dot += (double) dy[o + i] * g[i] * xd[o + i] * inv;
                    float mean = (float) (dot / width);
                    for (int i = 0; i < width; i++) {
                        float h = xd[o + i] * inv;
                        dx[o + i] += inv * (dy[o + i] * g[i] - h * mean);
                    }
                }
            });
        }
        if (gain.requiresGrad()) {
            float[] dg = gain.grad();
            // columns are independent: each thread sums whole columns over all rows, in row order
            Parallel.forRange(width, 64, (c0, c1) -> {
                for (int i = c0; i < c1; i++) {
                    double s = 0;
                    for (int r = 0; r < rows; r++) s += (double) dy[r * width + i] * xd[r * width + i] * rstd[r];
                    dg[i] += (float) s;
                }
            });
        }
    }
}
