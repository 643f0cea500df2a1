package dev.prune4j.model.load;

import dev.prune4j.model.arch.TensorRole;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.Linear;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.tensor.Parallel;

/**
 * Builds {@link ModelWeights} for a config from any {@link TensorSource}: which tensors a block has follows from the
 * config alone, so every file format shares this one loop. Blocks load in parallel.
 */
public final class WeightAssembler {
    private WeightAssembler() {}

    public static ModelWeights assemble(ModelConfig config, TensorSource src) {
        int h = config.embeddingLength();
        float[] embd = src.matrix(TensorRole.TOKEN_EMBD, 0, config.vocabSize(), h);
        BlockWeights[] blocks = new BlockWeights[config.blockCount()];
        Parallel.forRange(blocks.length, 1, (from, to) -> {
            for (int i = from; i < to; i++) blocks[i] = block(config, src, i);
        });
        float[] outNorm = src.vector(TensorRole.OUTPUT_NORM, 0, h);
        boolean tied = config.tiedEmbeddings() || !src.has(TensorRole.OUTPUT, 0);
        Linear output = tied
                ? new Linear(config.vocabSize(), h, embd, null)
                : new Linear(config.vocabSize(), h, src.matrix(TensorRole.OUTPUT, 0, config.vocabSize(), h), null);
        return new ModelWeights(embd, blocks, outNorm, output, tied);
    }

    private static BlockWeights block(ModelConfig c, TensorSource src, int i) {
        int h = c.embeddingLength();
        int q = c.qDim(i), kv = c.kvDim(i), ffn = c.feedForwardLength(i), hd = c.headDim();
        boolean qk = c.qkNorm(), sandwich = c.sandwichNorms();
        return new BlockWeights(
                src.vector(TensorRole.ATTN_NORM, i, h),
                linear(src, TensorRole.ATTN_Q, TensorRole.ATTN_Q_BIAS, i, q, h),
                linear(src, TensorRole.ATTN_K, TensorRole.ATTN_K_BIAS, i, kv, h),
                linear(src, TensorRole.ATTN_V, TensorRole.ATTN_V_BIAS, i, kv, h),
                qk ? src.vector(TensorRole.ATTN_Q_NORM, i, hd) : null,
                qk ? src.vector(TensorRole.ATTN_K_NORM, i, hd) : null,
                linear(src, TensorRole.ATTN_OUTPUT, null, i, h, q),
                sandwich ? src.vector(TensorRole.ATTN_POST_NORM, i, h) : null,
                src.vector(TensorRole.FFN_NORM, i, h),
                linear(src, TensorRole.FFN_GATE, null, i, ffn, h),
                linear(src, TensorRole.FFN_UP, null, i, ffn, h),
                linear(src, TensorRole.FFN_DOWN, null, i, h, ffn),
                sandwich ? src.vector(TensorRole.FFN_POST_NORM, i, h) : null);
    }

    private static Linear linear(TensorSource src, TensorRole role, TensorRole biasRole, int block, int out, int in) {
        float[] b = biasRole != null && src.has(biasRole, block) ? src.vector(biasRole, block, out) : null;
        return new Linear(out, in, src.matrix(role, block, out, in), b);
    }
}
