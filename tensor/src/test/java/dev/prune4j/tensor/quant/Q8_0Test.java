package dev.prune4j.tensor.quant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Q8_0Test {
    @Test
    void decodesTwoHandMadeBlocks() {
        Random rnd = new Random(8);
        float[] d = {0.015625f, -1.5f};
        int[][] q = {BlockBytes.randomInts(rnd, 32, -128, 127), BlockBytes.randomInts(rnd, 32, -128, 127)};
        BlockBytes bytes = new BlockBytes();
        for (int b = 0; b < 2; b++) bytes.f16(d[b]).bytes(q[b]);
        assertThat(bytes.size()).isEqualTo(2 * 34);

        float[] y = new float[3 + 64];
        Q8_0.dequantize(bytes.segmentAfter(5), 5, y, 3, 64);

        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < 32; i++) {
                assertThat(y[3 + 32 * b + i]).as("block %d element %d", b, i).isEqualTo(q[b][i] * d[b]);
            }
        }
        assertThat(y[0]).isZero();
    }
}
