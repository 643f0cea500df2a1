package dev.prune4j.tensor.quant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Q6_KTest {
    @Test
    void decodesTwoHandMadeBlocks() {
        Random rnd = new Random(46);
        float[] d = {0.0001220703125f, -0.75f};
        int[][] sc = {BlockBytes.randomInts(rnd, 16, -128, 127), BlockBytes.randomInts(rnd, 16, -128, 127)};
        int[][] q = {BlockBytes.randomInts(rnd, 256, 0, 63), BlockBytes.randomInts(rnd, 256, 0, 63)};
        BlockBytes bytes = new BlockBytes();
        for (int b = 0; b < 2; b++) {
            int[] ql = new int[128];
            int[] qh = new int[64];
            // Element l + 32k of half n: nibble k/2 of ql[64n + l + 32 (k % 2)], bits 2k..2k+1 of qh[32n + l].
            for (int e = 0; e < 256; e++) {
                int n = e / 128, k = (e % 128) / 32, l = e % 32;
                ql[64 * n + l + 32 * (k % 2)] |= (q[b][e] & 15) << (4 * (k / 2));
                qh[32 * n + l] |= (q[b][e] >> 4) << (2 * k);
            }
            bytes.bytes(ql).bytes(qh).bytes(sc[b]).f16(d[b]);
        }
        assertThat(bytes.size()).isEqualTo(2 * 210);

        float[] y = new float[512];
        Q6_K.dequantize(bytes.segmentAfter(4), 4, y, 0, 512);

        for (int b = 0; b < 2; b++) {
            for (int e = 0; e < 256; e++) {
                float expected = d[b] * sc[b][e / 16] * (q[b][e] - 32);
                assertThat(y[256 * b + e]).as("block %d element %d", b, e).isEqualTo(expected);
            }
        }
    }
}
