package dev.prune4j.prune.structure.score;

/** The {@link TaylorVariant} importance of every row or every column of one weight matrix. */
final class TaylorSaliency {
    private TaylorSaliency() {}

    /**
     * @param w [out, in] weights
     * @param g [out, in] mean loss gradient
     * @param f [out, in] empirical Fisher diagonal, or null unless the variant needs it
     * @return [out] one importance per row
     */
    static double[] rows(float[] w, float[] g, float[] f, int out, int in, TaylorVariant variant) {
        double[] signed = new double[out], abs = new double[out];
        for (int i = 0; i < out; i++) {
            for (int j = 0, k = i * in; j < in; j++, k++) accumulate(w, g, f, k, i, variant, signed, abs);
        }
        return finish(signed, abs, variant);
    }

    /** Like {@link #rows} but one importance per column: [in]. */
    static double[] columns(float[] w, float[] g, float[] f, int out, int in, TaylorVariant variant) {
        double[] signed = new double[in], abs = new double[in];
        for (int i = 0; i < out; i++) {
            for (int j = 0, k = i * in; j < in; j++, k++) accumulate(w, g, f, k, j, variant, signed, abs);
        }
        return finish(signed, abs, variant);
    }

    private static void accumulate(float[] w, float[] g, float[] f, int k, int slice, TaylorVariant variant,
                                   double[] signed, double[] abs) {
        double p = (double) w[k] * g[k];
        switch (variant) {
            case VECTOR -> signed[slice] += p;
            case ELEMENT1 -> abs[slice] += Math.abs(p);
            case ELEMENT2 -> abs[slice] += Math.abs(p - 0.5 * f[k] * w[k] * w[k]);
        }
    }

    private static double[] finish(double[] signed, double[] abs, TaylorVariant variant) {
        if (variant != TaylorVariant.VECTOR) return abs;
        for (int i = 0; i < signed.length; i++) signed[i] = Math.abs(signed[i]);
        return signed;
    }
}
