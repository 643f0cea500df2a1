package dev.prune4j.train.nn;

import dev.prune4j.train.autograd.Tape;
import dev.prune4j.train.autograd.Tensor;

/**
 * Activation recomputation for one block: the forward keeps only the block's input and output on the tape; the
 * backward runs the block again on its own tape and backpropagates through that. The recomputed forward is the same
 * code on the same input with the same dropout seeds, so gradients are bit-identical to those without recomputation.
 */
final class BlockCheckpoint {
    private BlockCheckpoint() {}

    static Tensor forward(Tape tape, DecoderBlock block, Tensor x, int batch, int seqLen, ForwardOptions opt) {
        // A recording pass tells whether anything in the block needs a gradient; its saved activations are dropped.
        Tape probe = new Tape();
        Tensor y = block.forward(probe, x, batch, seqLen, opt);
        tape.nested(probe.peakActivationBytes());
        if (!y.requiresGrad()) return y;
        Tensor out = tape.output(y.data(), true, y.shape());
        tape.record(out, () -> {
            Tape inner = new Tape();
            Tensor input = x.requiresGrad() ? Tensor.parameter("block " + block.layer() + " input", x.data(), x.shape()) : x;
            Tensor again = block.forward(inner, input, batch, seqLen, opt);
            tape.nested(inner.peakActivationBytes());
            inner.backward(again, out.grad());
            if (x.requiresGrad()) {
                float[] dx = x.grad(), di = input.grad();
                for (int i = 0; i < dx.length; i++) dx[i] += di[i];
            }
        });
        return out;
    }
}
