package dev.prune4j.model.gguf;

/** Metadata value types of GGUF ({@code enum gguf_type}), in id order. */
public enum GgufValueType {
    UINT8, INT8, UINT16, INT16, UINT32, INT32, FLOAT32, BOOL, STRING, ARRAY, UINT64, INT64, FLOAT64;

    public static GgufValueType fromId(int id) {
        if (id < 0 || id >= values().length) throw new IllegalArgumentException("unknown GGUF value type " + id);
        return values()[id];
    }
}
