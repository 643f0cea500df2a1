package dev.prune4j.model.load;

import dev.prune4j.model.ModelFormatException;
import dev.prune4j.model.arch.Architecture;
import dev.prune4j.model.arch.TensorRole;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.gguf.GgufFile;
import dev.prune4j.model.gguf.GgufTensorInfo;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.Linear;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.tensor.Parallel;

/**
 * Builds fp32 {@link ModelWeights} from a GGUF file: checks every tensor's shape against the config and widens it
 * (dequantizing ggml blocks) straight from the memory mapping, blocks in parallel.
 */
public final class GgufModelLoader {
    private final GgufFile file;
    private final Architecture arch;
    private final ModelConfig config;

    public GgufModelLoader(GgufFile file) {
        this.file = file;
        this.arch = Architecture.fromGgufName(file.getString("general.architecture"), file.path().toString());
        this.config = arch.configFromGguf(file);
    }

    public Architecture architecture() { return arch; }

    public ModelConfig config() { return config; }

    public ModelWeights loadWeights() {
        int h = config.embeddingLength();
        float[] embd = matrix(TensorRole.TOKEN_EMBD, 0, config.vocabSize(), h);
        BlockWeights[] blocks = new BlockWeights[config.blockCount()];
        Parallel.forRange(blocks.length, 1, (from, to) -> {
            for (int i = from; i < to; i++) blocks[i] = block(i);
        });
        float[] outNorm = vector(TensorRole.OUTPUT_NORM, 0, h);
        Linear output = config.tiedEmbeddings()
                ? new Linear(config.vocabSize(), h, embd, null)
                : new Linear(config.vocabSize(), h, matrix(TensorRole.OUTPUT, 0, config.vocabSize(), h), null);
        return new ModelWeights(embd, blocks, outNorm, output, config.tiedEmbeddings());
    }

    private BlockWeights block(int i) {
        int h = config.embeddingLength();
        int q = config.qDim(i), kv = config.kvDim(i), ffn = config.feedForwardLength(i), hd = config.headDim();
        return new BlockWeights(
                vector(TensorRole.ATTN_NORM, i, h),
                linear(TensorRole.ATTN_Q, TensorRole.ATTN_Q_BIAS, i, q, h),
                linear(TensorRole.ATTN_K, TensorRole.ATTN_K_BIAS, i, kv, h),
                linear(TensorRole.ATTN_V, TensorRole.ATTN_V_BIAS, i, kv, h),
                config.qkNorm() ? vector(TensorRole.ATTN_Q_NORM, i, hd) : null,
                config.qkNorm() ? vector(TensorRole.ATTN_K_NORM, i, hd) : null,
                linear(TensorRole.ATTN_OUTPUT, null, i, h, q),
                config.sandwichNorms() ? vector(TensorRole.ATTN_POST_NORM, i, h) : null,
                vector(TensorRole.FFN_NORM, i, h),
                linear(TensorRole.FFN_GATE, null, i, ffn, h),
                linear(TensorRole.FFN_UP, null, i, ffn, h),
                linear(TensorRole.FFN_DOWN, null, i, h, ffn),
                config.sandwichNorms() ? vector(TensorRole.FFN_POST_NORM, i, h) : null);
    }

    private Linear linear(TensorRole role, TensorRole biasRole, int block, int out, int in) {
        float[] w = matrix(role, block, out, in);
        float[] b = null;
        if (biasRole != null && file.tensors().containsKey(biasRole.ggufName(block))) b = vector(biasRole, block, out);
        return new Linear(out, in, w, b);
    }

    /** A [rows, cols] weight; GGUF lists it as dims {cols, rows}. */
    private float[] matrix(TensorRole role, int block, int rows, int cols) {
        String name = role.ggufName(block);
        GgufTensorInfo t = file.tensor(name);
        if (t.dims().length != 2 || t.cols() != cols || t.rows() != rows) {
            throw ModelFormatException.of(file.path(), "tensor " + name + " has shape " + t + ", expected [" + cols + ", "
                    + rows + "] (GGUF order) for the config's dimensions");
        }
        return file.readFloats(name);
    }

    private float[] vector(TensorRole role, int block, int n) {
        String name = role.ggufName(block);
        GgufTensorInfo t = file.tensor(name);
        if (t.elementCount() != n) {
            throw ModelFormatException.of(file.path(), "tensor " + name + " has " + t.elementCount() + " elements, expected " + n);
        }
        return file.readFloats(name);
    }
}
