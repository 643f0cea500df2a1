package dev.prune4j.tensor.quant;

import dev.prune4j.tensor.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * ggml Q5_0: 32 elements in 22 bytes.
 * Layout: {@code d} (f16, bytes 0-1), {@code qh} (uint32 LE, bytes 2-5: bit i is the fifth bit of element i), then
 * 16 bytes {@code qs} of low nibbles (low nibble of {@code qs[j]} is element j, high nibble element j+16).
 * {@code y = (q - 16) * d}.
 */
public final class Q5_0 {
    private Q5_0() {}

    /** Decodes {@code count} elements (a multiple of 32) starting at {@code byteOffset} into {@code dst[dstOffset..]}. */
    public static void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        QuantBlocks.decode(GgmlType.Q5_0, src, byteOffset, dst, dstOffset, count, Q5_0::decodeBlock);
    }

    static void decodeBlock(byte[] b, int at, float[] y, int yAt) {
        float d = QuantBlocks.f16(b, at);
        int qh = (b[at + 2] & 0xff) | (b[at + 3] & 0xff) << 8 | (b[at + 4] & 0xff) << 16 | (b[at + 5] & 0xff) << 24;
        for (int j = 0; j < 16; j++) {
            int q = b[at + 6 + j];
            int lo = (q & 0x0f) | ((qh >>> j) & 1) << 4;
            int hi = ((q >> 4) & 0x0f) | ((qh >>> (j + 16)) & 1) << 4;
            y[yAt + j] = (lo - 16) * d;
            y[yAt + j + 16] = (hi - 16) * d;
        }
    }
}
