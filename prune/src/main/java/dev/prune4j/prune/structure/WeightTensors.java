package dev.prune4j.prune.structure;

import dev.prune4j.model.arch.TensorRole;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.Linear;
import dev.prune4j.model.weights.ModelWeights;

/** The tensor of a {@link ModelWeights} that a {@link TensorRole} names, as a shaped view (no copy). */
public final class WeightTensors {
    private WeightTensors() {}

    /**
     * A tensor's values and shape; a 1-D tensor is {@code [n, 1]}.
     *
     * @param data [rows, cols] row-major, the model's own array
     */
    public record View(float[] data, int rows, int cols) {
        public void zero(TensorSlice slice) {
            slice.zero(data, rows, cols);
        }
    }

    /** The tensor, or null when the model has none in that role (no bias, no QK norm, ...). */
    public static View get(ModelWeights w, TensorRole role, int block) {
        int h = w.outputNorm().length;
        return switch (role) {
            case TOKEN_EMBD -> new View(w.tokenEmbd(), w.tokenEmbd().length / h, h);
            case OUTPUT_NORM -> vector(w.outputNorm());
            case OUTPUT -> matrix(w.output());
            default -> blockTensor(w.blocks()[block], role);
        };
    }

    private static View blockTensor(BlockWeights b, TensorRole role) {
        return switch (role) {
            case ATTN_NORM -> vector(b.attnNorm());
            case ATTN_Q -> matrix(b.attnQ());
            case ATTN_K -> matrix(b.attnK());
            case ATTN_V -> matrix(b.attnV());
            case ATTN_Q_BIAS -> vector(b.attnQ().bias());
            case ATTN_K_BIAS -> vector(b.attnK().bias());
            case ATTN_V_BIAS -> vector(b.attnV().bias());
            case ATTN_Q_NORM -> vector(b.attnQNorm());
            case ATTN_K_NORM -> vector(b.attnKNorm());
            case ATTN_OUTPUT -> matrix(b.attnOutput());
            case ATTN_OUTPUT_BIAS -> vector(b.attnOutput().bias());
            case ATTN_POST_NORM -> vector(b.attnPostNorm());
            case FFN_NORM -> vector(b.ffnNorm());
            case FFN_GATE -> matrix(b.ffnGate());
            case FFN_UP -> matrix(b.ffnUp());
            case FFN_DOWN -> matrix(b.ffnDown());
            case FFN_GATE_BIAS -> vector(b.ffnGate().bias());
            case FFN_UP_BIAS -> vector(b.ffnUp().bias());
            case FFN_DOWN_BIAS -> vector(b.ffnDown().bias());
            case FFN_POST_NORM -> vector(b.ffnPostNorm());
            case TOKEN_EMBD, OUTPUT_NORM, OUTPUT -> throw new IllegalArgumentException(role + " is not a block tensor");
        };
    }

    private static View matrix(Linear l) {
        return new View(l.weight(), l.out(), l.in());
    }

    private static View vector(float[] v) {
        return v == null ? null : new View(v, v.length, 1);
    }
}
