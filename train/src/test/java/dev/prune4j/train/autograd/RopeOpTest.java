package dev.prune4j.train.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prune4j.tensor.kernels.Rope;
import dev.prune4j.train.Rng;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RopeOpTest {
    /** Both pair layouts, full and partial rotary dimension. */
    @ParameterizedTest
    @CsvSource({"NORMAL, 8", "NEOX, 8", "NORMAL, 4", "NEOX, 6"})
    void gradientMatchesFiniteDifferencesAndNormIsKept(Rope.Layout layout, int ropeDim) {
        Rng rng = new Rng(ropeDim);
        int heads = 3, hd = 8, rows = 7;
        float[][] table = Rope.table(32, ropeDim, 10000, 1);
        int[] positions = {0, 1, 2, 5, 9, 17, 31};
        Tensor x = TestTensors.param("x", rng, 1f, rows, heads * hd);
        Tensor y = RopeOp.forward(Tape.noGrad(), x, heads, hd, ropeDim, positions, table, layout);
        // a rotation keeps every head's norm
        for (int r = 0; r < rows; r++) {
            for (int h = 0; h < heads; h++) {
                double a = 0, b = 0;
                for (int i = 0; i < hd; i++) {
                    int o = r * heads * hd + h * hd + i;
                    a += x.data()[o] * x.data()[o];
                    b += y.data()[o] * y.data()[o];
                }
                assertThat(b).isCloseTo(a, org.assertj.core.data.Offset.offset(1e-4 * a));
            }
        }
        GradAssert.passes(t -> RopeOp.forward(t, x, heads, hd, ropeDim, positions, table, layout), List.of(x));
    }
}
