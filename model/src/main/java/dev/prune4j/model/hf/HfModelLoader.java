package dev.prune4j.model.hf;

import dev.prune4j.model.ModelFormatException;
import dev.prune4j.model.arch.Architecture;
import dev.prune4j.model.arch.TensorRole;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.safetensors.SafetensorsCheckpoint;
import dev.prune4j.model.safetensors.SafetensorsTensorInfo;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.Linear;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.tensor.Parallel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Loads a Hugging Face model directory ({@code config.json} + safetensors, single or sharded) into fp32 weights.
 * Gemma checkpoints store RMSNorm gains as {@code w} applied as {@code 1 + w}; they are converted to the applied
 * form here, the form GGUF stores and the forward pass uses.
 */
public final class HfModelLoader implements AutoCloseable {
    public static final String CONFIG_FILE = "config.json";

    private final Path dir;
    private final Architecture arch;
    private final ModelConfig config;
    private final SafetensorsCheckpoint checkpoint;

    public HfModelLoader(Path dir) throws IOException {
        this.dir = dir;
        Path configFile = dir.resolve(CONFIG_FILE);
        if (!Files.isRegularFile(configFile)) throw new NoSuchFileException(configFile.toString(), null, "no config.json in the model directory");
        this.config = HfConfig.read(configFile);
        this.arch = Architecture.fromGgufName(config.architecture(), configFile.toString());
        this.checkpoint = SafetensorsCheckpoint.open(dir);
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
        boolean hasOutput = checkpoint.tensorNames().contains(arch.hfName(TensorRole.OUTPUT, 0));
        boolean tied = config.tiedEmbeddings() || !hasOutput;
        Linear output = tied ? new Linear(config.vocabSize(), h, embd, null)
                : new Linear(config.vocabSize(), h, matrix(TensorRole.OUTPUT, 0, config.vocabSize(), h), null);
        return new ModelWeights(embd, blocks, norm(TensorRole.OUTPUT_NORM, 0, h), output, tied);
    }

    private BlockWeights block(int i) {
        int h = config.embeddingLength();
        int q = config.qDim(i), kv = config.kvDim(i), ffn = config.feedForwardLength(i), hd = config.headDim();
        boolean qk = config.qkNorm(), sandwich = config.sandwichNorms();
        return new BlockWeights(
                norm(TensorRole.ATTN_NORM, i, h),
                linear(TensorRole.ATTN_Q, TensorRole.ATTN_Q_BIAS, i, q, h),
                linear(TensorRole.ATTN_K, TensorRole.ATTN_K_BIAS, i, kv, h),
                linear(TensorRole.ATTN_V, TensorRole.ATTN_V_BIAS, i, kv, h),
                qk ? norm(TensorRole.ATTN_Q_NORM, i, hd) : null,
                qk ? norm(TensorRole.ATTN_K_NORM, i, hd) : null,
                linear(TensorRole.ATTN_OUTPUT, null, i, h, q),
                sandwich ? norm(TensorRole.ATTN_POST_NORM, i, h) : null,
                norm(TensorRole.FFN_NORM, i, h),
                linear(TensorRole.FFN_GATE, null, i, ffn, h),
                linear(TensorRole.FFN_UP, null, i, ffn, h),
                linear(TensorRole.FFN_DOWN, null, i, h, ffn),
                sandwich ? norm(TensorRole.FFN_POST_NORM, i, h) : null);
    }

    private Linear linear(TensorRole role, TensorRole biasRole, int block, int out, int in) {
        float[] b = null;
        if (biasRole != null && checkpoint.tensorNames().contains(arch.hfName(biasRole, block))) b = vector(biasRole, block, out);
        return new Linear(out, in, matrix(role, block, out, in), b);
    }

    private float[] matrix(TensorRole role, int block, int rows, int cols) {
        String name = arch.hfName(role, block);
        SafetensorsTensorInfo t = checkpoint.tensor(name);
        if (!Arrays.equals(t.shape(), new long[] {rows, cols})) {
            throw ModelFormatException.of(dir, "tensor " + name + " has shape " + Arrays.toString(t.shape()) + ", expected ["
                    + rows + ", " + cols + "] for the config");
        }
        return checkpoint.readFloats(name);
    }

    private float[] vector(TensorRole role, int block, int n) {
        String name = arch.hfName(role, block);
        SafetensorsTensorInfo t = checkpoint.tensor(name);
        if (t.elementCount() != n) throw ModelFormatException.of(dir, "tensor " + name + " has " + t.elementCount() + " values, expected " + n);
        return checkpoint.readFloats(name);
    }

    /** A norm gain in the applied form ({@code 1 + w} for Gemma checkpoints). */
    private float[] norm(TensorRole role, int block, int n) {
        float[] g = vector(role, block, n);
        if (arch == Architecture.GEMMA3) for (int i = 0; i < g.length; i++) g[i] += 1f;
        return g;
    }

    @Override
    public void close() {
        checkpoint.close();
    }
}
