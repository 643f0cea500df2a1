package dev.prune4j.model.export;

/**
 * Reorders the rows of q/k projections between the two RoPE layouts. Hugging Face Llama rotates dimension pairs
 * {@code (i, i + d/2)} of each head; llama.cpp's converter permutes the rows so that GGUF "llama" rotates adjacent
 * pairs {@code (2i, 2i+1)}. Within a head, HF row {@code half*d/2 + i} is GGUF row {@code 2i + half}.
 */
public final class RopePermutation {
    private RopePermutation() {}

    /** GGUF (adjacent pairs) → HF (half-split) row order; {@code w} is [heads*headDim, cols]. */
    public static float[] toHalfSplit(float[] w, int heads, int headDim, int cols) {
        return reorder(w, heads, headDim, cols, true);
    }

    /** HF (half-split) → GGUF (adjacent pairs) row order. */
    public static float[] toAdjacentPairs(float[] w, int heads, int headDim, int cols) {
        return reorder(w, heads, headDim, cols, false);
    }

    /** Row-wise variant for per-row vectors such as biases: treats {@code v} as [heads*headDim, 1]. */
    private static float[] reorder(float[] w, int heads, int headDim, int cols, boolean toHalfSplit) {
        if ((long) heads * headDim * cols != w.length) {
            throw new IllegalArgumentException("q/k weight has " + w.length + " values, expected " + heads + "x" + headDim + "x" + cols);
        }
        float[] out = new float[w.length];
        int half = headDim / 2;
        for (int h = 0; h < heads; h++) {
            for (int part = 0; part < 2; part++) {
                for (int i = 0; i < half; i++) {
                    int split = h * headDim + part * half + i;  // HF row
                    int adjacent = h * headDim + 2 * i + part;  // GGUF row
                    int from = toHalfSplit ? adjacent : split;
                    int to = toHalfSplit ? split : adjacent;
                    System.arraycopy(w, from * cols, out, to * cols, cols);
                }
            }
        }
        return out;
    }
}
