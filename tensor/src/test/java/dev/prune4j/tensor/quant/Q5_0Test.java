package dev.prune4j.tensor.quant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Q5_0Test {
    @Test
    void decodesTwoHandMadeBlocks() {
        Random rnd = new Random(50);
        float[] d = {0.0625f, -3.0f};
        int[][] q = {BlockBytes.randomInts(rnd, 32, 0, 31), BlockBytes.randomInts(rnd, 32, 0, 31)};
        BlockBytes bytes = new BlockBytes();
        for (int b = 0; b < 2; b++) {
            int qh = 0;
            for (int i = 0; i < 32; i++) qh |= (q[b][i] >> 4) << i;
            bytes.f16(d[b]).u32(qh);
            for (int j = 0; j < 16; j++) bytes.u8((q[b][j] & 15) | (q[b][j + 16] & 15) << 4);
        }
        assertThat(bytes.size()).isEqualTo(2 * 22);

        float[] y = new float[64];
        Q5_0.dequantize(bytes.segmentAfter(3), 3, y, 0, 64);

        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < 32; i++) {
                assertThat(y[32 * b + i]).as("block %d element %d", b, i).isEqualTo((q[b][i] - 16) * d[b]);
            }
        }
    }
}
