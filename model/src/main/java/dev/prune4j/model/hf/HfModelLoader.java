package dev.prune4j.model.hf;

import dev.prune4j.model.ModelFormatException;
import dev.prune4j.model.arch.Architecture;
import dev.prune4j.model.arch.TensorRole;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.load.TensorSource;
import dev.prune4j.model.load.WeightAssembler;
import dev.prune4j.model.safetensors.SafetensorsCheckpoint;
import dev.prune4j.model.safetensors.SafetensorsTensorInfo;
import dev.prune4j.model.weights.ModelWeights;
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
public final class HfModelLoader implements TensorSource, AutoCloseable {
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
        return WeightAssembler.assemble(config, this);
    }

    @Override
    public boolean has(TensorRole role, int block) {
        return checkpoint.tensorNames().contains(arch.hfName(role, block));
    }

    @Override
    public float[] matrix(TensorRole role, int block, int rows, int cols) {
        String name = arch.hfName(role, block);
        SafetensorsTensorInfo t = checkpoint.tensor(name);
        if (!Arrays.equals(t.shape(), new long[] {rows, cols})) {
            throw ModelFormatException.of(dir, "tensor " + name + " has shape " + Arrays.toString(t.shape()) + ", expected ["
                    + rows + ", " + cols + "] for the config");
        }
        return checkpoint.readFloats(name);
    }

    private float[] stored(TensorRole role, int block, int n) {
        String name = arch.hfName(role, block);
        SafetensorsTensorInfo t = checkpoint.tensor(name);
        if (t.elementCount() != n) throw ModelFormatException.of(dir, "tensor " + name + " has " + t.elementCount() + " values, expected " + n);
        return checkpoint.readFloats(name);
    }

    /** A 1-D tensor as the forward pass applies it: Gemma checkpoints store norm gains as {@code w} for {@code 1 + w}. */
    @Override
    public float[] vector(TensorRole role, int block, int n) {
        float[] v = stored(role, block, n);
        if (arch == Architecture.GEMMA3 && role.isNorm()) for (int i = 0; i < v.length; i++) v[i] += 1f;
        return v;
    }

    @Override
    public void close() {
        checkpoint.close();
    }
}
