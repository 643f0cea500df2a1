package dev.prune4j.tensor.quant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Q4_1Test {
    @Test
    void decodesTwoHandMadeBlocks() {
        Random rnd = new Random(41);
        float[] d = {0.125f, 0.00390625f};
        float[] m = {-1.0f, 0.375f};
        int[][] q = {BlockBytes.randomInts(rnd, 32, 0, 15), BlockBytes.randomInts(rnd, 32, 0, 15)};
        BlockBytes bytes = new BlockBytes();
        for (int b = 0; b < 2; b++) {
            bytes.f16(d[b]).f16(m[b]);
            for (int j = 0; j < 16; j++) bytes.u8(q[b][j] | q[b][j + 16] << 4);
        }
        assertThat(bytes.size()).isEqualTo(2 * 20);

        float[] y = new float[64];
        Q4_1.dequantize(bytes.segmentAfter(7), 7, y, 0, 64);

        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < 32; i++) {
                assertThat(y[32 * b + i]).as("block %d element %d", b, i).isEqualTo(q[b][i] * d[b] + m[b]);
            }
        }
    }
}
