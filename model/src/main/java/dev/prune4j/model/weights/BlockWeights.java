package dev.prune4j.model.weights;

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

    public long parameterCount() {
        long n = attnQ.parameterCount() + attnK.parameterCount() + attnV.parameterCount() + attnOutput.parameterCount()
                + ffnGate.parameterCount() + ffnUp.parameterCount() + ffnDown.parameterCount();
        for (float[] g : new float[][] {attnNorm, attnQNorm, attnKNorm, attnPostNorm, ffnNorm, ffnPostNorm}) {
            if (g != null) n += g.length;
        }
        return n;
    }
}
