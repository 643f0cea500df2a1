package dev.prune4j.tensor.quant;

import dev.prune4j.tensor.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * Narrows fp32 values to the plain float storage types (F32, F16, BF16), little-endian: the inverse of
 * {@link Dequantize#toFloat} for those types, used by the GGUF and safetensors writers.
 */
public final class Encode {
    private Encode() {}

    /** Writes {@code src[srcOffset .. srcOffset+count)} as {@code type} to {@code dst} at byte {@code dstOffset}. */
    public static void fromFloat(GgmlType type, float[] src, int srcOffset, int count, MemorySegment dst, long dstOffset) {
        if (srcOffset < 0 || count < 0 || srcOffset > src.length - count) {
            throw new IndexOutOfBoundsException("range [" + srcOffset + ", " + ((long) srcOffset + count)
                    + ") outside an array of " + src.length);
        }
        switch (type) {
            case F32 -> MemorySegment.copy(src, srcOffset, dst, Dequantize.F32_LE, dstOffset, count);
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    dst.set(Dequantize.I16_LE, dstOffset + 2L * i, Float.floatToFloat16(src[srcOffset + i]));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    dst.set(Dequantize.I16_LE, dstOffset + 2L * i, toBf16(src[srcOffset + i]));
                }
            }
            default -> throw new UnsupportedOperationException(
                    "encoding to " + type + " is not supported (F32, F16 and BF16 are written)");
        }
    }

    /** Bytes per element for the plain float types. */
    public static int bytesPerElement(GgmlType type) {
        return switch (type) {
            case F32 -> 4;
            case F16, BF16 -> 2;
            default -> throw new UnsupportedOperationException(type + " is not a plain float type");
        };
    }

    /** Rounds to the nearest bf16, ties to even (as PyTorch does); NaN stays NaN (quiet, sign kept). */
    public static short toBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) return (short) ((bits >>> 16) | 0x0040);
        int roundingBias = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }
}
