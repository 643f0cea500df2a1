package dev.prune4j.tensor.quant;

import dev.prune4j.tensor.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * ggml Q6_K: 256 elements in 210 bytes, as 16 sub-blocks of 16 with a signed 8-bit scale each.
 * Layout: 128 bytes {@code ql} of low nibbles (bytes 0-127), 64 bytes {@code qh} of 2-bit high parts
 * (bytes 128-191), 16 signed scales (bytes 192-207), {@code d} (f16, bytes 208-209). Each half of 128 elements uses
 * 64 bytes of {@code ql} and 32 of {@code qh}: element {@code l + 32k} of the half takes nibble {@code k / 2} of
 * {@code ql[l + 32 (k % 2)]} and bits {@code 2k..2k+1} of {@code qh[l]}. {@code y = (d * scale) * (q - 32)}.
 */
public final class Q6_K {
    private Q6_K() {}

    /** Decodes {@code count} elements (a multiple of 256) starting at {@code byteOffset} into {@code dst[dstOffset..]}. */
    public static void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        QuantBlocks.decode(GgmlType.Q6_K, src, byteOffset, dst, dstOffset, count, Q6_K::decodeBlock);
    }

    static void decodeBlock(byte[] b, int at, float[] y, int yAt) {
        float d = QuantBlocks.f16(b, at + 208);
        int scales = at + 192;
        for (int half = 0; half < 2; half++) {
            int ql = at + 64 * half;
            int qh = at + 128 + 32 * half;
            int sc = scales + 8 * half;
            int out = yAt + 128 * half;
            for (int l = 0; l < 32; l++) {
                int is = l / 16;
                int h = b[qh + l] & 0xff;
                int lo0 = b[ql + l] & 0xff;
                int lo1 = b[ql + l + 32] & 0xff;
                int q1 = ((lo0 & 0x0f) | (h & 3) << 4) - 32;
                int q2 = ((lo1 & 0x0f) | ((h >>> 2) & 3) << 4) - 32;
                int q3 = ((lo0 >>> 4) | ((h >>> 4) & 3) << 4) - 32;
                int q4 = ((lo1 >>> 4) | ((h >>> 6) & 3) << 4) - 32;
                y[out + l] = (d * b[sc + is]) * q1;
                y[out + l + 32] = (d * b[sc + is + 2]) * q2;
                y[out + l + 64] = (d * b[sc + is + 4]) * q3;
                y[out + l + 96] = (d * b[sc + is + 6]) * q4;
            }
        }
    }
}
