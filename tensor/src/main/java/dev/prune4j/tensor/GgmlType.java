package dev.prune4j.tensor;

/**
 * Storage types of ggml, with the ids GGUF files use and the size of one block.
 * Only the types prune4j can read are listed; an unknown id is refused by {@link #fromId(int)}.
 */
public enum GgmlType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q4_0(2, 32, 2 + 16),
    Q4_1(3, 32, 2 + 2 + 16),
    Q5_0(6, 32, 2 + 4 + 16),
    Q5_1(7, 32, 2 + 2 + 4 + 16),
    Q8_0(8, 32, 2 + 32),
    Q2_K(10, 256, 256 / 16 + 256 / 4 + 2 + 2),
    Q3_K(11, 256, 256 / 8 + 256 / 4 + 12 + 2),
    Q4_K(12, 256, 2 + 2 + 12 + 256 / 2),
    Q5_K(13, 256, 2 + 2 + 12 + 256 / 8 + 256 / 2),
    Q6_K(14, 256, 256 / 2 + 256 / 4 + 256 / 16 + 2),
    Q8_K(15, 256, 4 + 256 + 256 / 16 * 2),
    BF16(30, 1, 2);

    /** The numeric id in GGUF tensor infos (ggml's {@code enum ggml_type}). */
    public final int id;
    /** Elements per block; 1 for the plain float types. */
    public final int blockSize;
    /** Bytes per block. */
    public final int typeSize;

    GgmlType(int id, int blockSize, int typeSize) {
        this.id = id;
        this.blockSize = blockSize;
        this.typeSize = typeSize;
    }

    /** Bytes needed to store {@code elements} values; {@code elements} must be a whole number of blocks. */
    public long byteSize(long elements) {
        if (elements % blockSize != 0) {
            throw new IllegalArgumentException(
                    name() + " stores blocks of " + blockSize + " elements; " + elements + " is not a multiple");
        }
        return elements / blockSize * typeSize;
    }

    public boolean isQuantized() {
        return blockSize > 1;
    }

    public static GgmlType fromId(int id) {
        for (GgmlType t : values()) {
            if (t.id == id) return t;
        }
        throw new IllegalArgumentException("unsupported ggml type id " + id);
    }
}
