package dev.prune4j.tensor.quant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Q3_KTest {
    @Test
    void decodesTwoHandMadeBlocks() {
        Random rnd = new Random(43);
        float[] d = {0.03125f, -0.0009765625f};
        int[][] scale = {BlockBytes.randomInts(rnd, 16, -32, 31), BlockBytes.randomInts(rnd, 16, -32, 31)};
        int[][] q = {BlockBytes.randomInts(rnd, 256, -4, 3), BlockBytes.randomInts(rnd, 256, -4, 3)};
        BlockBytes bytes = new BlockBytes();
        for (int b = 0; b < 2; b++) {
            int[] hmask = new int[32];
            int[] qs = new int[64];
            for (int e = 0; e < 256; e++) {
                int n = e / 128, k = (e % 128) / 32, l = e % 32;
                // A set mask bit means "no offset"; a clear one subtracts 4 from the 2-bit value.
                int low = q[b][e] >= 0 ? q[b][e] : q[b][e] + 4;
                if (q[b][e] >= 0) hmask[l] |= 1 << (4 * n + k);
                qs[32 * n + l] |= low << (2 * k);
            }
            int[] packed = new int[12];
            for (int i = 0; i < 16; i++) {
                int s = scale[b][i] + 32;
                packed[i % 8] |= (s & 15) << (4 * (i / 8));
                packed[8 + i % 4] |= (s >> 4) << (2 * (i / 4));
            }
            bytes.bytes(hmask).bytes(qs).bytes(packed).f16(d[b]);
        }
        assertThat(bytes.size()).isEqualTo(2 * 110);

        float[] y = new float[512];
        Q3_K.dequantize(bytes.segmentAfter(8), 8, y, 0, 512);

        for (int b = 0; b < 2; b++) {
            for (int e = 0; e < 256; e++) {
                float expected = d[b] * scale[b][e / 16] * q[b][e];
                assertThat(y[256 * b + e]).as("block %d element %d", b, e).isEqualTo(expected);
            }
        }
    }
}
