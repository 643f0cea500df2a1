package dev.prune4j.model.weights;

/**
 * All weights of a decoder in fp32. With tied embeddings {@code output} shares the token-embedding array.
 *
 * @param tokenEmbd  [vocabSize, embeddingLength]
 * @param blocks     one per decoder layer
 * @param outputNorm [embeddingLength]
 * @param output     [vocabSize, embeddingLength]
 */
public record ModelWeights(float[] tokenEmbd, BlockWeights[] blocks, float[] outputNorm, Linear output, boolean tied) {
    public long parameterCount() {
        long n = tokenEmbd.length + outputNorm.length + (tied ? 0 : output.parameterCount());
        for (BlockWeights b : blocks) n += b.parameterCount();
        return n;
    }
}
