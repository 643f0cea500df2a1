package dev.prune4j.tensor.quant;

import dev.prune4j.tensor.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Widens stored weights (plain floats or ggml blocks) to fp32, once, at load time.
 * One class per storage type does the work; this class only dispatches.
 */
public final class Dequantize {
    static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED;

    private Dequantize() {}

    /**
     * Writes {@code count} floats decoded from {@code src} (starting at byte {@code offset}) to {@code dst[dstOffset..]}.
     * {@code count} must be a whole number of blocks of {@code type}.
     */
    public static void toFloat(GgmlType type, MemorySegment src, long offset, float[] dst, int dstOffset, int count) {
        type.byteSize(count); // validates the block multiple
        switch (type) {
            case F32 -> MemorySegment.copy(src, F32_LE, offset, dst, dstOffset, count);
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = Float.float16ToFloat(src.get(I16_LE, offset + 2L * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = Float.intBitsToFloat(src.get(I16_LE, offset + 2L * i) << 16);
                }
            }
            default -> throw new UnsupportedOperationException("dequantization of " + type + " is not implemented");
        }
    }

    /** Decodes a whole tensor of {@code count} elements into a new array. */
    public static float[] toFloat(GgmlType type, MemorySegment src, long offset, int count) {
        float[] out = new float[count];
        toFloat(type, src, offset, out, 0, count);
        return out;
    }
}
