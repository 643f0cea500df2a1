package dev.prune4j.tensor.quant;

import dev.prune4j.tensor.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * ggml Q5_K: 256 elements in 176 bytes, as 8 sub-blocks of 32 with their own 6-bit scale and min.
 * Layout: {@code d} (f16, bytes 0-1), {@code dmin} (f16, bytes 2-3), 12 bytes of packed 6-bit scales and mins
 * (bytes 4-15, as in Q4_K), 32 bytes {@code qh} (bytes 16-47: bit s of {@code qh[l]} is the fifth bit of element l of
 * sub-block s), then 128 bytes of low nibbles {@code qs} (bytes 48-175, laid out as in Q4_K).
 * {@code y = (d * sc) * q - dmin * m}.
 */
public final class Q5_K {
    private Q5_K() {}

    /** Decodes {@code count} elements (a multiple of 256) starting at {@code byteOffset} into {@code dst[dstOffset..]}. */
    public static void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        QuantBlocks.decode(GgmlType.Q5_K, src, byteOffset, dst, dstOffset, count, Q5_K::decodeBlock);
    }

    static void decodeBlock(byte[] b, int at, float[] y, int yAt) {
        float d = QuantBlocks.f16(b, at);
        float dmin = QuantBlocks.f16(b, at + 2);
        int scales = at + 4;
        int qh = at + 16;
        int qs = at + 48;
        for (int j = 0; j < 4; j++) {
            float d1 = d * QuantBlocks.scaleK4(b, scales, 2 * j);
            float m1 = dmin * QuantBlocks.minK4(b, scales, 2 * j);
            float d2 = d * QuantBlocks.scaleK4(b, scales, 2 * j + 1);
            float m2 = dmin * QuantBlocks.minK4(b, scales, 2 * j + 1);
            int out = yAt + 64 * j;
            for (int l = 0; l < 32; l++) {
                int q = b[qs + 32 * j + l];
                int h = b[qh + l] & 0xff;
                int lo = (q & 0x0f) | ((h >>> (2 * j)) & 1) << 4;
                int hi = ((q >> 4) & 0x0f) | ((h >>> (2 * j + 1)) & 1) << 4;
                y[out + l] = d1 * lo - m1;
                y[out + 32 + l] = d2 * hi - m2;
            }
        }
    }
}
