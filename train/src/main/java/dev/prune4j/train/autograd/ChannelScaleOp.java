package dev.prune4j.train.autograd;

import dev.prune4j.tensor.Parallel;

/**
 * Multiplies channels by a mask: {@code y[r, c] = x[r, c] · m[c / groupSize]}. With groupSize = headDim the mask
 * acts on attention heads, with 1 on single channels (FFN channels, hidden channels). The mask's gradient sums
 * {@code dy ⊙ x} over rows and over the channels of each group.
 */
public final class ChannelScaleOp {
    private ChannelScaleOp() {}

    /**
     * @param x    [rows, groups·groupSize]
     * @param mask [groups]
     */
    public static Tensor forward(Tape tape, Tensor x, Tensor mask, int groupSize) {
        int width = mask.size() * groupSize;
        if (x.cols() != width) {
            throw new IllegalArgumentException("channel mask " + mask + " with groups of " + groupSize + " needs " + width
                    + " columns, input " + x + " has " + x.cols());
        }
        int rows = x.rows();
        float[] xd = x.data(), m = mask.data(), y = new float[xd.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) y[r * width + c] = xd[r * width + c] * m[c / groupSize];
        }
        boolean g = tape.needsGrad(x, mask);
        Tensor result = tape.output(y, g, x.shape());
        if (g) {
            tape.record(result, () -> {
                float[] dy = result.grad();
                if (x.requiresGrad()) {
                    float[] dx = x.grad();
                    for (int i = 0; i < dy.length; i++) dx[i] += dy[i] * m[(i % width) / groupSize];
                }
                if (mask.requiresGrad()) {
                    float[] dm = mask.grad();
                    Parallel.forRange(m.length, 1, (g0, g1) -> {
                        for (int grp = g0; grp < g1; grp++) {
                            double s = 0;
                            for (int r = 0; r < rows; r++) {
                                int o = r * width + grp * groupSize;
                                for (int c = 0; c < groupSize; c++) s += (double) dy[o + c] * xd[o + c];
                            }
                            dm[grp] += (float) s;
                        }
                    });
                }
            });
        }
        return result;
    }
}
