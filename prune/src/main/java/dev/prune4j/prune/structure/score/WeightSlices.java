package dev.prune4j.prune.structure.score;

import dev.prune4j.model.weights.Linear;

/** Per-row and per-column sums over a linear's weight: the slices that coupled groups own. */
final class WeightSlices {
    private WeightSlices() {}

    /** @return [out] {@code Σ_j W[i,j]²} */
    static double[] rowSquares(Linear l) {
        float[] w = l.weight();
        int in = l.in();
        double[] s = new double[l.out()];
        for (int i = 0; i < s.length; i++) {
            double acc = 0;
            for (int j = 0, off = i * in; j < in; j++) acc += (double) w[off + j] * w[off + j];
            s[i] = acc;
        }
        return s;
    }

    /** @return [in] {@code Σ_i W[i,j]²} */
    static double[] columnSquares(Linear l) {
        float[] w = l.weight();
        int in = l.in();
        double[] s = new double[in];
        for (int i = 0; i < l.out(); i++) {
            for (int j = 0, off = i * in; j < in; j++) s[j] += (double) w[off + j] * w[off + j];
        }
        return s;
    }

    /** @return [in] {@code (1/out) Σ_i |W[i,j]|} */
    static double[] columnAbsMeans(Linear l) {
        float[] w = l.weight();
        int in = l.in();
        double[] s = new double[in];
        for (int i = 0; i < l.out(); i++) {
            for (int j = 0, off = i * in; j < in; j++) s[j] += Math.abs(w[off + j]);
        }
        for (int j = 0; j < in; j++) s[j] /= l.out();
        return s;
    }

    /**
     * Sums consecutive blocks: heads from their {@code headDim} columns, or KV groups from their query heads.
     *
     * @param values [blocks·size]
     * @return [blocks]
     */
    static double[] blockSums(double[] values, int size) {
        double[] s = new double[values.length / size];
        for (int b = 0; b < s.length; b++) {
            for (int k = 0; k < size; k++) s[b] += values[b * size + k];
        }
        return s;
    }

    static double[] add(double[] a, double[] b) {
        double[] s = a.clone();
        for (int i = 0; i < s.length; i++) s[i] += b[i];
        return s;
    }

    static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return f;
    }

    static float[] sqrt(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) Math.sqrt(a[i]);
        return f;
    }
}
