package dev.prune4j.tensor.quant;

import dev.prune4j.tensor.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * ggml Q3_K: 256 elements in 110 bytes, as 16 sub-blocks of 16 with a signed 6-bit scale each.
 * Layout: 32 bytes {@code hmask} (bytes 0-31), 64 bytes {@code qs} of 2-bit low parts (bytes 32-95), 12 bytes of
 * packed scales (bytes 96-107: low 4 bits of scales 0-7 and 8-15 in the nibbles of bytes 0-7, high 2 bits of scale
 * {@code i} in bits {@code 2 (i / 4)} of byte {@code 8 + i % 4}), {@code d} (f16, bytes 108-109). Element
 * {@code l + 32k} of half {@code n} takes bits {@code 2k..2k+1} of {@code qs[32n + l]}; 4 is subtracted when bit
 * {@code 4n + k} of {@code hmask[l]} is clear. {@code y = (d * (scale - 32)) * q}.
 */
public final class Q3_K {
    private Q3_K() {}

    /** Decodes {@code count} elements (a multiple of 256) starting at {@code byteOffset} into {@code dst[dstOffset..]}. */
    public static void dequantize(MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        QuantBlocks.decode(GgmlType.Q3_K, src, byteOffset, dst, dstOffset, count, Q3_K::decodeBlock);
    }

    static void decodeBlock(byte[] b, int at, float[] y, int yAt) {
        float d = QuantBlocks.f16(b, at + 108);
        int scales = at + 96;
        for (int sub = 0; sub < 16; sub++) {
            int low = sub < 8 ? b[scales + sub] & 0x0f : (b[scales + sub - 8] & 0xff) >>> 4;
            int high = ((b[scales + 8 + sub % 4] & 0xff) >>> (2 * (sub / 4))) & 3;
            float dl = d * ((low | high << 4) - 32);
            int half = sub / 8;
            int k = (sub % 8) / 2;
            int l0 = 16 * (sub % 2);
            int qs = at + 32 + 32 * half;
            int maskBit = 4 * half + k;
            int out = yAt + 16 * sub;
            for (int l = l0; l < l0 + 16; l++) {
                int q = (b[qs + l] >>> (2 * k)) & 3;
                if (((b[at + l] >>> maskBit) & 1) == 0) q -= 4;
                y[out + l - l0] = dl * q;
            }
        }
    }
}
