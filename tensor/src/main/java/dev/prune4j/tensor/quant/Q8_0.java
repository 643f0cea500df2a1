package dev.prune4j.tensor.quant;

import dev.prune4j.tensor.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * ggml Q8_0: 32 elements in 34 bytes.
 * Layout: {@code d} (f16, bytes 0-1), then 32 signed 8-bit quants {@code qs} (bytes 2-33). {@code y[i] = qs[i] * d}.
 */
public final class Q8_0 {
    private Q8_0() {}

    /** Decodes {@code count} elements (a multiple of 32) starting at {@code byteOffset} into {@code dst[dstOffset..]}. */
    public static void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        QuantBlocks.decode(GgmlType.Q8_0, src, byteOffset, dst, dstOffset, count, Q8_0::decodeBlock);
    }

    static void decodeBlock(byte[] b, int at, float[] y, int yAt) {
        float d = QuantBlocks.f16(b, at);
        for (int i = 0; i < 32; i++) {
            y[yAt + i] = b[at + 2 + i] * d;
        }
    }
}
