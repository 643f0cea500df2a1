package dev.prune4j.model.safetensors;

import dev.prune4j.tensor.GgmlType;

/**
 * Element types of the safetensors format, as spelled in its JSON header. Every type can be listed and mapped;
 * only F32, F16 and BF16 (the ones LLM weights use) are widened to fp32 or written.
 */
public enum SafetensorsDtype {
    BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1), I16(2), U16(2), F16(2), BF16(2), I32(4), U32(4), F32(4),
    C64(8), F64(8), I64(8), U64(8);

    /** Bytes per element. */
    public final int size;

    SafetensorsDtype(int size) {
        this.size = size;
    }

    /** The same bytes seen as a ggml storage type, for the float types prune4j reads and writes; otherwise null. */
    public GgmlType storage() {
        return switch (this) {
            case F32 -> GgmlType.F32;
            case F16 -> GgmlType.F16;
            case BF16 -> GgmlType.BF16;
            default -> null;
        };
    }

    /** The dtype of a header, or null when the name is not one of the types above. */
    static SafetensorsDtype parse(String name) {
        for (SafetensorsDtype d : values()) {
            if (d.name().equals(name)) return d;
        }
        return null;
    }
}
