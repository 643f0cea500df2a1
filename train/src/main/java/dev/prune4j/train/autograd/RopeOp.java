package dev.prune4j.train.autograd;

import dev.prune4j.tensor.kernels.Rope;

/**
 * Rotary position embedding of q or k rows. The forward is {@link Rope#apply}; the backward rotates the gradient by
 * the opposite angle (a rotation's transpose is its inverse).
 */
public final class RopeOp {
    private RopeOp() {}

    /**
     * @param x         [rows, heads·headDim]
     * @param positions [rows] the absolute position of each row
     * @param table     cos/sin table from {@link Rope#table} covering every position
     */
    public static Tensor forward(Tape tape, Tensor x, int heads, int headDim, int ropeDim, int[] positions,
                                 float[][] table, Rope.Layout layout) {
        int width = heads * headDim;
        if (x.cols() != width || positions.length != x.rows()) {
            throw new IllegalArgumentException("rope: input " + x + " needs " + width + " columns and one position per row ("
                    + positions.length + " given)");
        }
        float[] y = x.data().clone();
        for (int r = 0; r < positions.length; r++) Rope.apply(y, r * width, heads, headDim, ropeDim, positions[r], table, layout);
        boolean g = tape.needsGrad(x);
        Tensor result = tape.output(y, g, x.shape());
        if (g) {
            tape.record(result, () -> {
                float[] dy = result.grad(), dx = x.grad();
                int half = ropeDim / 2;
                float[] cos = table[0], sin = table[1];
                for (int r = 0; r < positions.length; r++) {
                    int t = positions[r] * half;
                    for (int h = 0; h < heads; h++) {
                        int b = r * width + h * headDim;
                        for (int i = 0; i < half; i++) {
                            int i0 = layout == Rope.Layout.NORMAL ? b + 2 * i : b + i;
                            int i1 = layout == Rope.Layout.NORMAL ? b + 2 * i + 1 : b + i + half;
                            float c = cos[t + i], s = sin[t + i];
                            dx[i0] += dy[i0] * c + dy[i1] * s;
                            dx[i1] += -dy[i0] * s + dy[i1] * c;
                        }
                        for (int i = ropeDim; i < headDim; i++) dx[b + i] += dy[b + i]; // unrotated tail
                    }
                }
            });
        }
        return result;
    }
}
