package dev.prune4j.tensor.quant;

import dev.prune4j.tensor.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * ggml Q5_1: 32 elements in 24 bytes.
 * Layout: {@code d} (f16, bytes 0-1), {@code m} (f16, bytes 2-3), {@code qh} (uint32 LE, bytes 4-7: bit i is the
 * fifth bit of element i), then 16 bytes {@code qs} of low nibbles (low nibble of {@code qs[j]} is element j, high
 * nibble element j+16). {@code y = q * d + m}.
 */
public final class Q5_1 {
    private Q5_1() {}

    /** Decodes {@code count} elements (a multiple of 32) starting at {@code byteOffset} into {@code dst[dstOffset..]}. */
    public static void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        QuantBlocks.decode(GgmlType.Q5_1, src, byteOffset, dst, dstOffset, count, Q5_1::decodeBlock);
    }

    static void decodeBlock(byte[] b, int at, float[] y, int yAt) {
        float d = QuantBlocks.f16(b, at);
        float m = QuantBlocks.f16(b, at + 2);
        int qh = (b[at + 4] & 0xff) | (b[at + 5] & 0xff) << 8 | (b[at + 6] & 0xff) << 16 | (b[at + 7] & 0xff) << 24;
        for (int j = 0; j < 16; j++) {
            int q = b[at + 8 + j];
            int lo = (q & 0x0f) | ((qh >>> j) & 1) << 4;
            int hi = ((q >> 4) & 0x0f) | ((qh >>> (j + 16)) & 1) << 4;
            y[yAt + j] = lo * d + m;
            y[yAt + j + 16] = hi * d + m;
        }
    }
}
