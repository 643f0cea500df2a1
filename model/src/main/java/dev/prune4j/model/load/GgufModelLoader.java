package dev.prune4j.model.load;

import dev.prune4j.model.ModelFormatException;
import dev.prune4j.model.arch.Architecture;
import dev.prune4j.model.arch.TensorRole;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.gguf.GgufFile;
import dev.prune4j.model.gguf.GgufTensorInfo;
import dev.prune4j.model.weights.ModelWeights;

/**
 * Reads fp32 {@link ModelWeights} from a GGUF file: checks every tensor's shape against the config and widens it
 * (dequantizing ggml blocks) straight from the memory mapping.
 */
public final class GgufModelLoader implements TensorSource {
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
        return WeightAssembler.assemble(config, this);
    }

    /** A [rows, cols] weight; GGUF lists it as dims {cols, rows}. */
    @Override
    public float[] matrix(TensorRole role, int block, int rows, int cols) {
        String name = role.ggufName(block);
        GgufTensorInfo t = file.tensor(name);
        if (t.dims().length != 2 || t.cols() != cols || t.rows() != rows) {
            throw ModelFormatException.of(file.path(), "tensor " + name + " has shape " + t + ", expected [" + cols + ", "
                    + rows + "] (GGUF order) for the config's dimensions");
        }
        return file.readFloats(name);
    }

    @Override
    public float[] vector(TensorRole role, int block, int n) {
        String name = role.ggufName(block);
        GgufTensorInfo t = file.tensor(name);
        if (t.elementCount() != n) {
            throw ModelFormatException.of(file.path(), "tensor " + name + " has " + t.elementCount() + " elements, expected " + n);
        }
        return file.readFloats(name);
    }

    @Override
    public boolean has(TensorRole role, int block) {
        return file.tensors().containsKey(role.ggufName(block));
    }
}
