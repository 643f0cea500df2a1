package dev.prune4j.train.autograd;

import dev.prune4j.tensor.kernels.Gemm;
import dev.prune4j.tensor.kernels.MatMul;

/**
 * The linear layer {@code y = x·wᵀ + b} and its backward as two GEMMs: {@code dx += dy·w} and {@code dw += dyᵀ·x}.
 * A frozen weight gets no {@code dw} (and no gradient buffer); the same tensor may be both {@code x} and {@code w}
 * (e.g. {@code L0·L0ᵀ} in a regulariser), the two contributions then add up.
 */
public final class LinearOp {
    private LinearOp() {}

    /**
     * @param x [..., in] (any leading shape; rows = size / in)
     * @param w [out, in]
     * @param b [out] or null
     * @return [..., out]
     */
    public static Tensor forward(Tape tape, Tensor x, Tensor w, Tensor b) {
        if (w.rank() != 2) throw new IllegalArgumentException("linear weight " + w + " must be [out, in]");
        int out = w.dim(0), in = w.dim(1);
        if (x.cols() != in) throw new IllegalArgumentException("linear " + w + ": input " + x + " has " + x.cols() + " columns, expected " + in);
        if (b != null && b.size() != out) throw new IllegalArgumentException("linear " + w + ": bias " + b + " needs " + out + " values");
        int rows = x.rows();
        float[] y = new float[rows * out];
        MatMul.xwT(x.data(), rows, in, w.data(), out, y);
        if (b != null) {
            float[] bd = b.data();
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < out; j++) y[r * out + j] += bd[j];
            }
        }
        boolean g = tape.needsGrad(x, w, b);
        int[] shape = x.shape();
        shape[shape.length - 1] = out;
        Tensor result = tape.output(y, g, shape);
        if (g) tape.record(result, () -> backward(x, w, b, result.grad(), rows, in, out));
        return result;
    }

    /** @param dy [rows, out] */
    private static void backward(Tensor x, Tensor w, Tensor b, float[] dy, int rows, int in, int out) {
        if (x.requiresGrad()) Gemm.nn(rows, in, out, dy, 0, out, w.data(), 0, in, x.grad(), 0, in, true);
        if (w.requiresGrad()) Gemm.tn(out, in, rows, dy, 0, out, x.data(), 0, in, w.grad(), 0, in, true);
        if (b != null && b.requiresGrad()) {
            float[] db = b.grad();
            for (int j = 0; j < out; j++) {
                double s = 0;
                for (int r = 0; r < rows; r++) s += dy[r * out + j];
                db[j] += (float) s;
            }
        }
    }
}
