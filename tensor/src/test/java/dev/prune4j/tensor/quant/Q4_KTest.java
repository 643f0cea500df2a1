package dev.prune4j.tensor.quant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Q4_KTest {
    @Test
    void decodesTwoHandMadeBlocks() {
        Random rnd = new Random(44);
        float[] d = {0.0009765625f, -0.5f};
        float[] dmin = {0.001953125f, 0.25f};
        int[][] sc = {BlockBytes.randomInts(rnd, 8, 0, 63), BlockBytes.randomInts(rnd, 8, 0, 63)};
        int[][] m = {BlockBytes.randomInts(rnd, 8, 0, 63), BlockBytes.randomInts(rnd, 8, 0, 63)};
        int[][] q = {BlockBytes.randomInts(rnd, 256, 0, 15), BlockBytes.randomInts(rnd, 256, 0, 15)};
        BlockBytes bytes = new BlockBytes();
        for (int b = 0; b < 2; b++) {
            bytes.f16(d[b]).f16(dmin[b]).bytes(BlockBytes.k4Scales(sc[b], m[b]));
            // 32 bytes per pair of sub-blocks: the even sub-block in the low nibbles, the odd one in the high.
            for (int pair = 0; pair < 4; pair++) {
                for (int l = 0; l < 32; l++) bytes.u8(q[b][64 * pair + l] | q[b][64 * pair + 32 + l] << 4);
            }
        }
        assertThat(bytes.size()).isEqualTo(2 * 144);

        float[] y = new float[512];
        Q4_K.dequantize(bytes.segmentAfter(2), 2, y, 0, 512);

        for (int b = 0; b < 2; b++) {
            for (int e = 0; e < 256; e++) {
                int s = e / 32;
                float expected = d[b] * sc[b][s] * q[b][e] - dmin[b] * m[b][s];
                assertThat(y[256 * b + e]).as("block %d element %d", b, e).isEqualTo(expected);
            }
        }
    }
}
