package dev.prune4j.tensor.quant;

import dev.prune4j.tensor.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Widens stored weights (plain floats or ggml blocks) to fp32, once, at load time.
 * The plain float types are decoded here; each block type has its own class, and this class only dispatches.
 */
public final class Dequantize {
    static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED;
    /** Halves copied per bulk read in the F16/BF16 loops. */
    private static final int CHUNK = 4096;

    private Dequantize() {}

    /**
     * Writes {@code count} floats decoded from {@code src} (starting at byte {@code offset}) to {@code dst[dstOffset..]}.
     * {@code count} must be a whole number of blocks of {@code type}.
     */
    public static void toFloat(GgmlType type, MemorySegment src, long offset, float[] dst, int dstOffset, int count) {
        switch (type) {
            case F32 -> {
                QuantBlocks.checkRange(type, src, offset, dst, dstOffset, count);
                MemorySegment.copy(src, F32_LE, offset, dst, dstOffset, count);
            }
            case F16, BF16 -> halves(type, src, offset, dst, dstOffset, count);
            case Q4_0 -> Q4_0.dequantize(src, offset, dst, dstOffset, count);
            case Q4_1 -> Q4_1.dequantize(src, offset, dst, dstOffset, count);
            case Q5_0 -> Q5_0.dequantize(src, offset, dst, dstOffset, count);
            case Q5_1 -> Q5_1.dequantize(src, offset, dst, dstOffset, count);
            case Q8_0 -> Q8_0.dequantize(src, offset, dst, dstOffset, count);
            case Q2_K -> Q2_K.dequantize(src, offset, dst, dstOffset, count);
            case Q3_K -> Q3_K.dequantize(src, offset, dst, dstOffset, count);
            case Q4_K -> Q4_K.dequantize(src, offset, dst, dstOffset, count);
            case Q5_K -> Q5_K.dequantize(src, offset, dst, dstOffset, count);
            case Q6_K -> Q6_K.dequantize(src, offset, dst, dstOffset, count);
            case Q8_K -> throw new UnsupportedOperationException(
                    "Q8_K is ggml's internal dot-product format and never stores weights; it is not dequantized");
        }
    }

    /** Decodes a whole tensor of {@code count} elements into a new array. */
    public static float[] toFloat(GgmlType type, MemorySegment src, long offset, int count) {
        float[] out = new float[count];
        toFloat(type, src, offset, out, 0, count);
        return out;
    }

    /** F16 and BF16: bulk-copies the halves to the heap in chunks so that the widening loop runs over an array. */
    private static void halves(GgmlType type, MemorySegment src, long offset, float[] dst, int dstOffset, int count) {
        QuantBlocks.checkRange(type, src, offset, dst, dstOffset, count);
        short[] buf = new short[Math.min(count, CHUNK)];
        for (int done = 0; done < count; done += CHUNK) {
            int n = Math.min(CHUNK, count - done);
            MemorySegment.copy(src, I16_LE, offset + 2L * done, buf, 0, n);
            int out = dstOffset + done;
            if (type == GgmlType.F16) {
                for (int i = 0; i < n; i++) dst[out + i] = Float.float16ToFloat(buf[i]);
            } else {
                // bf16 is the top half of an fp32: widening is a shift.
                for (int i = 0; i < n; i++) dst[out + i] = Float.intBitsToFloat(buf[i] << 16);
            }
        }
    }
}
