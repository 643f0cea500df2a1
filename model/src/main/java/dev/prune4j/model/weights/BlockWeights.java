package dev.prune4j.model.weights;

import dev.prune4j.model.arch.TensorRole;

/**
 * The weights of one decoder block. Norm gains are {@code [embeddingLength]} (or {@code [headDim]} for the QK norms);
 * optional tensors are null when the architecture has none.
 */
public record BlockWeights(
        float[] attnNorm,
        Linear attnQ,        // [headCount*headDim, embeddingLength]
        Linear attnK,        // [headCountKv*headDim, embeddingLength]
        Linear attnV,        // [headCountKv*headDim, embeddingLength]
        float[] attnQNorm,   // [headDim] or null
        float[] attnKNorm,   // [headDim] or null
        Linear attnOutput,   // [embeddingLength, headCount*headDim]
        float[] attnPostNorm, // or null
        float[] ffnNorm,
        Linear ffnGate,      // [feedForwardLength, embeddingLength]
        Linear ffnUp,        // [feedForwardLength, embeddingLength]
        Linear ffnDown,      // [embeddingLength, feedForwardLength]
        float[] ffnPostNorm) { // or null

    /** The block's linear that plays {@code role} (q, k, v, o, gate, up or down). */
    public Linear linear(TensorRole role) {
        return switch (role) {
            case ATTN_Q -> attnQ;
            case ATTN_K -> attnK;
            case ATTN_V -> attnV;
            case ATTN_OUTPUT -> attnOutput;
            case FFN_GATE -> ffnGate;
            case FFN_UP -> ffnUp;
            case FFN_DOWN -> ffnDown;
            default -> throw new IllegalArgumentException(role + " is not a block linear");
        };
    }

    public long parameterCount() {
        long n = attnQ.parameterCount() + attnK.parameterCount() + attnV.parameterCount() + attnOutput.parameterCount()
                + ffnGate.parameterCount() + ffnUp.parameterCount() + ffnDown.parameterCount();
        for (float[] g : new float[][] {attnNorm, attnQNorm, attnKNorm, attnPostNorm, ffnNorm, ffnPostNorm}) {
            if (g != null) n += g.length;
        }
        return n;
    }
}
