package dev.prune4j.tensor.kernels;

import static dev.prune4j.tensor.kernels.TestData.assertClose;
import static dev.prune4j.tensor.kernels.TestData.assertRelative;
import static dev.prune4j.tensor.kernels.TestData.random;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each vector op against its scalar original in {@link VectorOps.Reference}, on lengths around the vector width and
 * its multiples. Bounds (relative to the reference): dot 1e-5 × Σ|a·b| (both round, in different orders);
 * rmsNorm 1e-6; softmax and silu 1e-5; gelu 1e-5 plus 2e-7 × |g·up| (1 + tanh cancels for negative g, so one ulp
 * of tanh is an absolute error); add and scale exact.
 */
class VectorOpsTest {

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 3, 7, 8, 9, 31, 32, 33, 63, 64, 65, 100, 576, 1000, 1536, 4097})
    void dot(int n) {
        Random rnd = new Random(n);
        float[] a = random(rnd, n + 5), b = random(rnd, n + 2);
        float expected = VectorOps.Reference.dot(a, 5, b, 2, n);
        float scale = 0;
        for (int i = 0; i < n; i++) scale += Math.abs(a[5 + i] * b[2 + i]);

        float actual = VectorOps.dot(a, 5, b, 2, n);

        assertClose("dot n=" + n, new float[] {expected}, new float[] {actual}, new float[] {scale}, 1e-5);
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 3, 7, 8, 9, 31, 32, 33, 63, 64, 65, 100, 576, 1000, 1536, 4097})
    void rmsNorm(int n) {
        Random rnd = new Random(n);
        int rows = 3;
        float[] x = random(rnd, rows * n), w = random(rnd, n);
        for (int i = 0; i < x.length; i++) x[i] *= 3;
        for (int i = 0; i < n; i++) w[i] += 1.5f;
        float[] expected = new float[rows * n], actual = new float[rows * n];
        VectorOps.Reference.rmsNorm(x, w, 1e-5f, rows, n, expected);

        VectorOps.rmsNorm(x, w, 1e-5f, rows, n, actual);

        assertRelative("rmsNorm n=" + n, expected, actual, 1e-6);
        VectorOps.rmsNorm(x, w, 1e-5f, rows, n, x);
        assertRelative("rmsNorm in place n=" + n, expected, x, 1e-6);
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 3, 7, 8, 9, 31, 32, 33, 63, 64, 65, 100, 576, 1000, 1536, 4097})
    void softmax(int n) {
        Random rnd = new Random(n);
        float[] a = random(rnd, n + 7);
        for (int i = 0; i < a.length; i++) a[i] *= 10;
        float[] expected = a.clone();
        VectorOps.Reference.softmax(expected, 4, n);

        VectorOps.softmax(a, 4, n);

        assertRelative("softmax n=" + n, expected, a, 1e-5);
        assertThat(Arrays.copyOfRange(a, 0, 4)).as("before the row").containsExactly(Arrays.copyOfRange(expected, 0, 4));
        assertThat(Arrays.copyOfRange(a, 4 + n, a.length)).as("after the row")
                .containsExactly(Arrays.copyOfRange(expected, 4 + n, a.length));
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 3, 7, 8, 9, 31, 32, 33, 63, 64, 65, 100, 576, 1000, 1536, 4097})
    void siluMul(int n) {
        Random rnd = new Random(n);
        float[] gate = random(rnd, n), up = random(rnd, n);
        for (int i = 0; i < n; i++) gate[i] *= 12;
        float[] expected = gate.clone();
        VectorOps.Reference.siluMul(expected, up, n);

        VectorOps.siluMul(gate, up, n);

        assertRelative("siluMul n=" + n, expected, gate, 1e-5);
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 3, 7, 8, 9, 31, 32, 33, 63, 64, 65, 100, 576, 1000, 1536, 4097})
    void geluMul(int n) {
        Random rnd = new Random(n);
        float[] gate = random(rnd, n), up = random(rnd, n);
        for (int i = 0; i < n; i++) gate[i] *= 6;
        float[] expected = gate.clone();
        VectorOps.Reference.geluMul(expected, up, n);
        float[] scale = new float[n];
        for (int i = 0; i < n; i++) scale[i] = Math.abs(expected[i]) + 0.02f * Math.abs(gate[i] * up[i]);

        VectorOps.geluMul(gate, up, n);

        assertClose("geluMul n=" + n, expected, gate, scale, 1e-5);
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 7, 8, 9, 33, 576, 4097})
    void addAndScaleAreExact(int n) {
        Random rnd = new Random(n);
        float[] a = random(rnd, n), b = random(rnd, n);
        float[] expected = a.clone(), actual = a.clone();
        VectorOps.Reference.add(expected, b, n);
        VectorOps.Reference.scale(expected, 0.37f, n);

        VectorOps.add(actual, b, n);
        VectorOps.scale(actual, 0.37f, n);

        assertThat(actual).containsExactly(expected);
    }
}
