package dev.prune4j.prune.structure.surgery;

import dev.prune4j.model.weights.Linear;
import java.util.stream.IntStream;

/** Copies the kept rows and columns of a weight into a new, smaller array. */
final class Gather {
    private Gather() {}

    /** Rows {@code h·headDim .. (h+1)·headDim} of each kept head {@code h}, in order. */
    static int[] headRows(int[] heads, int headDim) {
        int[] rows = new int[heads.length * headDim];
        for (int i = 0; i < heads.length; i++) {
            for (int j = 0; j < headDim; j++) rows[i * headDim + j] = heads[i] * headDim + j;
        }
        return rows;
    }

    /** The kept rows and columns of a linear; its bias follows the rows. */
    static Linear linear(Linear l, int[] rows, int[] cols) {
        float[] b = l.bias() == null ? null : vector(l.bias(), rows, 1f);
        return new Linear(rows.length, cols.length, matrix(l.weight(), l.in(), rows, cols, 1f), b);
    }

    /**
     * @param w     [*, width] row-major
     * @param scale multiplies every kept value
     * @return [rows.length, cols.length]
     */
    static float[] matrix(float[] w, int width, int[] rows, int[] cols, float scale) {
        float[] out = new float[rows.length * cols.length];
        boolean allCols = cols.length == width;
        for (int i = 0; i < rows.length; i++) {
            int src = rows[i] * width, dst = i * cols.length;
            if (allCols && scale == 1f) {
                System.arraycopy(w, src, out, dst, width);
            } else {
                for (int j = 0; j < cols.length; j++) out[dst + j] = w[src + cols[j]] * scale;
            }
        }
        return out;
    }

    /** The kept entries of a vector, each times {@code scale}; null stays null. */
    static float[] vector(float[] v, int[] kept, float scale) {
        if (v == null) return null;
        float[] out = new float[kept.length];
        for (int i = 0; i < kept.length; i++) out[i] = v[kept[i]] * scale;
        return out;
    }

    static int[] all(int n) {
        return IntStream.range(0, n).toArray();
    }
}
