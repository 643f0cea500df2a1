package dev.prune4j.tensor.kernels;

/**
 * Rotary position embedding. Two layouts exist: {@link Layout#NORMAL} rotates adjacent pairs
 * {@code (2i, 2i+1)} (llama.cpp's LLAMA_ROPE_TYPE_NORM, used for GGUF "llama" whose q/k rows were permuted by the
 * converter) and {@link Layout#NEOX} rotates {@code (i, i + d/2)} (Hugging Face's rotate_half, GGUF gemma3/qwen2).
 */
public final class Rope {
    public enum Layout { NORMAL, NEOX }

    private Rope() {}

    /**
     * Precomputed cos/sin for positions {@code [0, maxPos)} and the first {@code ropeDim} dims of a head.
     *
     * @return [2][maxPos * ropeDim/2]: cos then sin
     */
    public static float[][] table(int maxPos, int ropeDim, double theta, double freqScale) {
        int half = ropeDim / 2;
        float[] cos = new float[maxPos * half];
        float[] sin = new float[maxPos * half];
        for (int p = 0; p < maxPos; p++) {
            for (int i = 0; i < half; i++) {
                double freq = Math.pow(theta, -2.0 * i / ropeDim);
                double a = p * freqScale * freq;
                cos[p * half + i] = (float) Math.cos(a);
                sin[p * half + i] = (float) Math.sin(a);
            }
        }
        return new float[][] {cos, sin};
    }

    /**
     * Rotates {@code nHeads} heads of width {@code headDim} stored at {@code x[off ..]}, at position {@code pos}.
     * Only the first {@code ropeDim} dims of each head rotate.
     */
    public static void apply(float[] x, int off, int nHeads, int headDim, int ropeDim, int pos, float[][] table, Layout layout) {
        int half = ropeDim / 2;
        float[] cos = table[0], sin = table[1];
        int t = pos * half;
        for (int h = 0; h < nHeads; h++) {
            int b = off + h * headDim;
            for (int i = 0; i < half; i++) {
                int i0 = layout == Layout.NORMAL ? b + 2 * i : b + i;
                int i1 = layout == Layout.NORMAL ? b + 2 * i + 1 : b + i + half;
                float c = cos[t + i], s = sin[t + i];
                float x0 = x[i0], x1 = x[i1];
                x[i0] = x0 * c - x1 * s;
                x[i1] = x0 * s + x1 * c;
            }
        }
    }
}
