package dev.prune4j.tensor.quant;

import dev.prune4j.tensor.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * ggml Q2_K: 256 elements in 84 bytes, as 16 sub-blocks of 16 with a 4-bit scale and a 4-bit min each.
 * Layout: 16 bytes of scales (bytes 0-15: low nibble scale, high nibble min, one byte per sub-block), 64 bytes
 * {@code qs} of 2-bit quants (bytes 16-79), {@code d} (f16, bytes 80-81), {@code dmin} (f16, bytes 82-83). Element
 * {@code l + 32k} of each half of 128 takes bits {@code 2k..2k+1} of {@code qs[32 half + l]}.
 * {@code y = (d * sc) * q - dmin * m}.
 */
public final class Q2_K {
    private Q2_K() {}

    /** Decodes {@code count} elements (a multiple of 256) starting at {@code byteOffset} into {@code dst[dstOffset..]}. */
    public static void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        QuantBlocks.decode(GgmlType.Q2_K, src, byteOffset, dst, dstOffset, count, Q2_K::decodeBlock);
    }

    static void decodeBlock(byte[] b, int at, float[] y, int yAt) {
        float d = QuantBlocks.f16(b, at + 80);
        float dmin = QuantBlocks.f16(b, at + 82);
        for (int sub = 0; sub < 16; sub++) {
            int s = b[at + sub] & 0xff;
            float dl = d * (s & 0x0f);
            float ml = dmin * (s >>> 4);
            int qs = at + 16 + 32 * (sub / 8) + 16 * (sub % 2);
            int shift = 2 * ((sub % 8) / 2);
            int out = yAt + 16 * sub;
            for (int l = 0; l < 16; l++) {
                y[out + l] = dl * ((b[qs + l] >>> shift) & 3) - ml;
            }
        }
    }
}
