package dev.prune4j.tensor.quant;

import dev.prune4j.tensor.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * ggml Q4_1: 32 elements in 20 bytes.
 * Layout: {@code d} (f16, bytes 0-1), {@code m} (f16, bytes 2-3), then 16 bytes {@code qs}: the low nibble of
 * {@code qs[j]} is element j, the high nibble element j+16. {@code y = q * d + m}.
 */
public final class Q4_1 {
    private Q4_1() {}

    /** Decodes {@code count} elements (a multiple of 32) starting at {@code byteOffset} into {@code dst[dstOffset..]}. */
    public static void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        QuantBlocks.decode(GgmlType.Q4_1, src, byteOffset, dst, dstOffset, count, Q4_1::decodeBlock);
    }

    static void decodeBlock(byte[] b, int at, float[] y, int yAt) {
        float d = QuantBlocks.f16(b, at);
        float m = QuantBlocks.f16(b, at + 2);
        for (int j = 0; j < 16; j++) {
            int q = b[at + 4 + j];
            y[yAt + j] = (q & 0x0f) * d + m;
            y[yAt + j + 16] = ((q >> 4) & 0x0f) * d + m;
        }
    }
}
