package dev.prune4j.tensor.quant;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.Random;

/** Test helper: builds ggml blocks byte by byte (little-endian) from chosen scales and quants. */
final class BlockBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    BlockBytes u8(int v) {
        out.write(v & 0xff);
        return this;
    }

    BlockBytes bytes(int[] v) {
        for (int x : v) u8(x);
        return this;
    }

    BlockBytes f16(float v) {
        short h = Float.floatToFloat16(v);
        if (Float.float16ToFloat(h) != v) throw new IllegalArgumentException(v + " is not exactly representable in f16");
        return u8(h).u8(h >> 8);
    }

    BlockBytes u32(int v) {
        return u8(v).u8(v >> 8).u8(v >> 16).u8(v >> 24);
    }

    int size() {
        return out.size();
    }

    byte[] toArray() {
        return out.toByteArray();
    }

    /** The built bytes behind {@code pad} junk bytes, so decoders are exercised at a non-zero offset. */
    MemorySegment segmentAfter(int pad) {
        byte[] body = toArray();
        byte[] all = new byte[pad + body.length];
        for (int i = 0; i < pad; i++) all[i] = (byte) 0xA5;
        System.arraycopy(body, 0, all, pad, body.length);
        return MemorySegment.ofArray(all);
    }

    static int[] randomInts(Random rnd, int n, int from, int toInclusive) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = from + rnd.nextInt(toInclusive - from + 1);
        return a;
    }

    /** Packs eight 6-bit scales and eight 6-bit mins into the 12 bytes of Q4_K and Q5_K. */
    static int[] k4Scales(int[] sc, int[] m) {
        int[] b = new int[12];
        for (int j = 0; j < 4; j++) {
            b[j] = sc[j] | (sc[j + 4] >> 4) << 6;
            b[j + 4] = m[j] | (m[j + 4] >> 4) << 6;
            b[j + 8] = (sc[j + 4] & 15) | (m[j + 4] & 15) << 4;
        }
        return b;
    }
}
