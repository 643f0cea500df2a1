package dev.prune4j.tensor.kernels;

import static dev.prune4j.tensor.kernels.TestData.abs;
import static dev.prune4j.tensor.kernels.TestData.assertClose;
import static dev.prune4j.tensor.kernels.TestData.random;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code xwT} on each of its paths (GEMV for one row, the dot loop for a few rows or little work, GEMM for a batch)
 * against the fp32 reference; allowed error {@value #TOL} × Σ|x·w| (the fp32 reference itself rounds k times).
 */
class MatMulTest {
    static final double TOL = 2e-5;

    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @CsvSource({"1,576,576", "1,5,3", "2,300,7", "7,1000,65", "9,9,9", "8,64,129", "64,300,96", "300,1,300",
            "130,257,200"})
    void matchesReferenceOnEveryPath(int m, int n, int k) {
        Random rnd = new Random(m * 7919L + n * 31L + k);
        float[] x = random(rnd, m * k), w = random(rnd, n * k);
        float[] expected = new float[m * n], y = random(rnd, m * n), scale = new float[m * n];
        MatMul.reference(x, m, k, w, n, expected);
        MatMul.reference(abs(x), m, k, abs(w), n, scale);

        MatMul.xwT(x, m, k, w, n, y);

        assertClose("xwT " + m + "x" + n + "x" + k, expected, y, scale, TOL);
    }
}
