package dev.prune4j.model.load;

import dev.prune4j.model.arch.TensorRole;

/**
 * Where a loader reads tensors from (a GGUF file, a safetensors checkpoint), by role and block. Implementations
 * check shapes and name the file and tensor in their errors; {@link WeightAssembler} decides what to read.
 */
public interface TensorSource {
    /** A {@code [rows, cols]} weight in fp32, row-major. */
    float[] matrix(TensorRole role, int block, int rows, int cols);

    /** A 1-D tensor of {@code n} values in fp32, as the forward pass applies it. */
    float[] vector(TensorRole role, int block, int n);

    /** Whether an optional tensor (a bias, an untied output) is present. */
    boolean has(TensorRole role, int block);
}
