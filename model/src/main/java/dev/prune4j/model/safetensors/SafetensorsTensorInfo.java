package dev.prune4j.model.safetensors;

import java.util.Arrays;

/**
 * A tensor's entry in a safetensors header. Unlike GGUF, safetensors lists the shape in PyTorch order, outermost
 * first: a linear weight is {@code [out, in]} here and {@code {in, out}} in a GGUF tensor info.
 *
 * @param name  tensor name, e.g. {@code model.layers.0.self_attn.q_proj.weight}
 * @param dtype element type
 * @param shape dimensions, outermost first; empty for a scalar
 * @param begin first byte of the data, relative to the end of the header
 * @param end   one past the last byte of the data, relative to the end of the header
 */
public record SafetensorsTensorInfo(String name, SafetensorsDtype dtype, long[] shape, long begin, long end) {
    public long elementCount() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    public long byteSize() {
        return end - begin;
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape);
    }
}
