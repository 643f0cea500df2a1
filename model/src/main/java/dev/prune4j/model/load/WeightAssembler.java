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
                linear(src, TensorRole.ATTN_Q, i, q, h),
                linear(src, TensorRole.ATTN_K, i, kv, h),
                linear(src, TensorRole.ATTN_V, i, kv, h),
                qk ? src.vector(TensorRole.ATTN_Q_NORM, i, hd) : null,
                qk ? src.vector(TensorRole.ATTN_K_NORM, i, hd) : null,
                linear(src, TensorRole.ATTN_OUTPUT, i, h, q),
                sandwich ? src.vector(TensorRole.ATTN_POST_NORM, i, h) : null,
                src.vector(TensorRole.FFN_NORM, i, h),
                linear(src, TensorRole.FFN_GATE, i, ffn, h),
                linear(src, TensorRole.FFN_UP, i, ffn, h),
                linear(src, TensorRole.FFN_DOWN, i, h, ffn),
                sandwich ? src.vector(TensorRole.FFN_POST_NORM, i, h) : null);
    }

    /** A block linear with its bias when the file has one (Qwen2's q/k/v; o/down after FLAP's bias compensation). */
    private static Linear linear(TensorSource src, TensorRole role, int block, int out, int in) {
        TensorRole biasRole = role.bias();
        float[] b = src.has(biasRole, block) ? src.vector(biasRole, block, out) : null;
        return new Linear(out, in, src.matrix(role, block, out, in), b);
    }
}
