package dev.prune4j.tensor.quant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Q2_KTest {
    @Test
    void decodesTwoHandMadeBlocks() {
        Random rnd = new Random(42);
        float[] d = {0.0625f, -0.001953125f};
        float[] dmin = {0.015625f, 0.5f};
        int[][] sc = {BlockBytes.randomInts(rnd, 16, 0, 15), BlockBytes.randomInts(rnd, 16, 0, 15)};
        int[][] m = {BlockBytes.randomInts(rnd, 16, 0, 15), BlockBytes.randomInts(rnd, 16, 0, 15)};
        int[][] q = {BlockBytes.randomInts(rnd, 256, 0, 3), BlockBytes.randomInts(rnd, 256, 0, 3)};
        BlockBytes bytes = new BlockBytes();
        for (int b = 0; b < 2; b++) {
            for (int s = 0; s < 16; s++) bytes.u8(sc[b][s] | m[b][s] << 4);
            // Element l + 32k of half n sits in bits 2k..2k+1 of qs[32n + l].
            int[] qs = new int[64];
            for (int e = 0; e < 256; e++) qs[32 * (e / 128) + e % 32] |= q[b][e] << (2 * ((e % 128) / 32));
            bytes.bytes(qs).f16(d[b]).f16(dmin[b]);
        }
        assertThat(bytes.size()).isEqualTo(2 * 84);

        float[] y = new float[512];
        Q2_K.dequantize(bytes.segmentAfter(6), 6, y, 0, 512);

        for (int b = 0; b < 2; b++) {
            for (int e = 0; e < 256; e++) {
                int s = e / 16;
                float expected = d[b] * sc[b][s] * q[b][e] - dmin[b] * m[b][s];
                assertThat(y[256 * b + e]).as("block %d element %d", b, e).isEqualTo(expected);
            }
        }
    }
}
