package dev.prune4j.model.gguf;

import dev.prune4j.tensor.GgmlType;
import java.util.Arrays;

/**
 * A tensor's entry in a GGUF file. GGUF lists dimensions innermost first, so a Hugging Face weight of shape
 * {@code [out, in]} appears here as {@code dims = {in, out}}; {@link #rows()} and {@link #cols()} give the HF order.
 *
 * @param name   GGUF tensor name, e.g. {@code blk.0.attn_q.weight}
 * @param dims   dimensions, innermost (contiguous) first
 * @param type   storage type
 * @param offset byte offset of the data relative to the start of the file's tensor data section
 */
public record GgufTensorInfo(String name, long[] dims, GgmlType type, long offset) {
    public long elementCount() {
        long n = 1;
        for (long d : dims) n *= d;
        return n;
    }

    public long byteSize() {
        return type.byteSize(elementCount());
    }

    /** Length of the contiguous (innermost) dimension: the input width of a linear weight. */
    public long cols() {
        return dims[0];
    }

    /** Product of the outer dimensions: the output width of a linear weight. */
    public long rows() {
        return elementCount() / dims[0];
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(dims);
    }
}
