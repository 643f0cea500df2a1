package dev.prune4j.tensor.quant;

import dev.prune4j.tensor.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * ggml Q4_K: 256 elements in 144 bytes, as 8 sub-blocks of 32 with their own 6-bit scale and min.
 * Layout: {@code d} (f16, bytes 0-1), {@code dmin} (f16, bytes 2-3), 12 bytes of packed 6-bit scales and mins
 * (bytes 4-15, see {@link QuantBlocks#scaleK4}), then 128 bytes {@code qs} (bytes 16-143): each group of 32 bytes
 * holds two sub-blocks, the low nibbles first. {@code y = (d * sc) * q - dmin * m}.
 */
public final class Q4_K {
    private Q4_K() {}

    /** Decodes {@code count} elements (a multiple of 256) starting at {@code byteOffset} into {@code dst[dstOffset..]}. */
    public static void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        QuantBlocks.decode(GgmlType.Q4_K, src, byteOffset, dst, dstOffset, count, Q4_K::decodeBlock);
    }

    static void decodeBlock(byte[] b, int at, float[] y, int yAt) {
        float d = QuantBlocks.f16(b, at);
        float dmin = QuantBlocks.f16(b, at + 2);
        int scales = at + 4;
        int qs = at + 16;
        for (int j = 0; j < 4; j++) {
            float d1 = d * QuantBlocks.scaleK4(b, scales, 2 * j);
            float m1 = dmin * QuantBlocks.minK4(b, scales, 2 * j);
            float d2 = d * QuantBlocks.scaleK4(b, scales, 2 * j + 1);
            float m2 = dmin * QuantBlocks.minK4(b, scales, 2 * j + 1);
            int out = yAt + 64 * j;
            for (int l = 0; l < 32; l++) {
                int q = b[qs + 32 * j + l];
                y[out + l] = d1 * (q & 0x0f) - m1;
                y[out + 32 + l] = d2 * ((q >> 4) & 0x0f) - m2;
            }
        }
    }
}
