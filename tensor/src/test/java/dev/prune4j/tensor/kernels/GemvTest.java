package dev.prune4j.tensor.kernels;

import static dev.prune4j.tensor.kernels.TestData.abs;
import static dev.prune4j.tensor.kernels.TestData.assertClose;
import static dev.prune4j.tensor.kernels.TestData.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** GEMV against the double-accumulator reference; allowed error per element {@value #TOL} × Σ|w·x|. */
class GemvTest {
    static final double TOL = 1e-5;

    @ParameterizedTest(name = "n={0} k={1}")
    @CsvSource({"1,1", "1,300", "300,1", "3,7", "4,8", "5,9", "7,33", "64,64", "131,257", "299,17", "2000,300",
            "4097,129"})
    void matchesReference(int n, int k) {
        Random rnd = new Random(n * 1000L + k);
        float[] w = random(rnd, n * k), x = random(rnd, k);
        float[] expected = new float[n], y = random(rnd, n);
        Gemv.reference(n, k, w, 0, k, x, 0, expected, 0, false);

        Gemv.wx(w, n, k, x, y);

        assertClose("gemv " + n + "x" + k, expected, y, scale(n, k, w, 0, k, x, 0, new float[n], 0), TOL);
    }

    @Test
    void accumulatesFromStridedOperands() {
        Random rnd = new Random(3);
        int n = 203, k = 150, ldw = 157, wOff = 5, xOff = 3, yOff = 2;
        float[] w = random(rnd, wOff + n * ldw), x = random(rnd, xOff + k + 4), y = random(rnd, yOff + n + 3);
        float[] y0 = y.clone(), expected = y.clone();
        Gemv.reference(n, k, w, wOff, ldw, x, xOff, expected, yOff, true);

        Gemv.wx(n, k, w, wOff, ldw, x, xOff, y, yOff, true);

        // Allowance Σ|w·x| + |y0| inside y, zero outside (must be untouched).
        float[] allowance = new float[y.length];
        scale(n, k, w, wOff, ldw, x, xOff, allowance, yOff);
        for (int i = 0; i < n; i++) allowance[yOff + i] += Math.abs(y0[yOff + i]);
        assertClose("gemv accumulate", expected, y, allowance, TOL);
    }

    @Test
    void multiThreadedEqualsSingleThreadedExactly() {
        Random rnd = new Random(5);
        int n = 1537, k = 577;
        float[] w = random(rnd, n * k), x = random(rnd, k);
        float[] one = new float[n], many = new float[n];
        Gemv.wx(n, k, w, 0, k, x, 0, one, 0, false, 1);
        Gemv.wx(n, k, w, 0, k, x, 0, many, 0, false, 4);
        assertThat(many).containsExactly(one);
    }

    @Test
    void rejectsOperandsThatDoNotFit() {
        assertThatThrownBy(() -> Gemv.wx(new float[11], 3, 4, new float[4], new float[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("W 3x4");
    }

    /** Σ_p |w[i,p]|·|x[p]| into {@code out[outOff + i]}. */
    private static float[] scale(int n, int k, float[] w, int wOff, int ldw, float[] x, int xOff, float[] out,
                                 int outOff) {
        Gemv.reference(n, k, abs(w), wOff, ldw, abs(x), xOff, out, outOff, false);
        return out;
    }
}
