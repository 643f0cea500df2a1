package dev.prune4j.tensor.quant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Q5_KTest {
    @Test
    void decodesTwoHandMadeBlocks() {
        Random rnd = new Random(45);
        float[] d = {0.00048828125f, 1.0f};
        float[] dmin = {0.0078125f, -0.125f};
        int[][] sc = {BlockBytes.randomInts(rnd, 8, 0, 63), BlockBytes.randomInts(rnd, 8, 0, 63)};
        int[][] m = {BlockBytes.randomInts(rnd, 8, 0, 63), BlockBytes.randomInts(rnd, 8, 0, 63)};
        int[][] q = {BlockBytes.randomInts(rnd, 256, 0, 31), BlockBytes.randomInts(rnd, 256, 0, 31)};
        BlockBytes bytes = new BlockBytes();
        for (int b = 0; b < 2; b++) {
            bytes.f16(d[b]).f16(dmin[b]).bytes(BlockBytes.k4Scales(sc[b], m[b]));
            for (int l = 0; l < 32; l++) {
                int qh = 0;
                for (int s = 0; s < 8; s++) qh |= (q[b][32 * s + l] >> 4) << s;
                bytes.u8(qh);
            }
            for (int pair = 0; pair < 4; pair++) {
                for (int l = 0; l < 32; l++) bytes.u8((q[b][64 * pair + l] & 15) | (q[b][64 * pair + 32 + l] & 15) << 4);
            }
        }
        assertThat(bytes.size()).isEqualTo(2 * 176);

        float[] y = new float[2 + 512];
        Q5_K.dequantize(bytes.segmentAfter(9), 9, y, 2, 512);

        for (int b = 0; b < 2; b++) {
            for (int e = 0; e < 256; e++) {
                int s = e / 32;
                float expected = d[b] * sc[b][s] * q[b][e] - dmin[b] * m[b][s];
                assertThat(y[2 + 256 * b + e]).as("block %d element %d", b, e).isEqualTo(expected);
            }
        }
    }
}
