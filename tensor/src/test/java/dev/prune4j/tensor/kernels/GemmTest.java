package dev.prune4j.tensor.kernels;

import static dev.prune4j.tensor.kernels.TestData.abs;
import static dev.prune4j.tensor.kernels.TestData.assertClose;
import static dev.prune4j.tensor.kernels.TestData.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packed GEMM against the double-accumulator reference. Allowed error per element: {@value #TOL} × Σ|a·b|
 * (random data gives ~1e-7; a wrong index gives errors of order 1). Each case also runs with {@link #SMALL} blocks,
 * so shapes of a few hundred cross several depth, row and column blocks.
 */
class GemmTest {
    static final double TOL = 1e-5;
    /** Depth blocks of ≤ 37 and, at k = 300, row blocks of 12 and column blocks of three 16-wide panels. */
    static final Gemm.Blocking SMALL = new Gemm.Blocking(37, 37 * 12, 37 * 48);

    /** Edge shapes (1 row, 1 column, tails of MR/NR/lanes, several KC and MC blocks, past NC) plus seeded random ones. */
    static Stream<Arguments> shapes() {
        List<int[]> shapes = new ArrayList<>(List.of(
                new int[] {1, 1, 1}, new int[] {1, 300, 7}, new int[] {300, 1, 33}, new int[] {1, 1, 300},
                new int[] {2, 32, 256}, new int[] {3, 33, 257}, new int[] {5, 31, 9}, new int[] {17, 65, 300},
                new int[] {193, 129, 513}, new int[] {64, 64, 64}, new int[] {3, 4100, 5}, new int[] {7, 9, 1}));
        Random rnd = new Random(42);
        for (int i = 0; i < 12; i++) shapes.add(new int[] {1 + rnd.nextInt(300), 1 + rnd.nextInt(300), 1 + rnd.nextInt(300)});
        List<Arguments> args = new ArrayList<>();
        for (int[] s : shapes) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) args.add(Arguments.of(s[0], s[1], s[2], ta, tb));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4}")
    @MethodSource("shapes")
    void matchesReference(int m, int n, int k, boolean transA, boolean transB) {
        Random rnd = new Random(31L * m + 7L * n + k + (transA ? 1 : 0) + (transB ? 2 : 0));
        float[] a = random(rnd, m * k), b = random(rnd, k * n);
        int lda = transA ? m : k, ldb = transB ? k : n;
        float[] c = random(rnd, m * n);
        float[] expected = new float[m * n];
        Gemm.reference(transA, transB, m, n, k, a, 0, lda, b, 0, ldb, expected, 0, n, false);

        float[] scale = absProduct(transA, transB, m, n, k, a, lda, b, ldb);

        Gemm.gemm(transA, transB, m, n, k, a, 0, lda, b, 0, ldb, c, 0, n, false);
        assertClose("gemm", expected, c, scale, TOL);

        Gemm.gemm(transA, transB, m, n, k, a, 0, lda, b, 0, ldb, c, 0, n, false, 4, SMALL);
        assertClose("gemm, small blocks", expected, c, scale, TOL);
    }

    @Test
    void namedEntryPointsMatchTheirTransposes() {
        Random rnd = new Random(1);
        int m = 37, n = 45, k = 70;
        float[] a = random(rnd, m * k), bT = random(rnd, n * k), b = transpose(bT, n, k), aT = transpose(a, m, k);
        float[] expected = new float[m * n];
        Gemm.reference(false, true, m, n, k, a, 0, k, bT, 0, k, expected, 0, n, false);
        float[] scale = absProduct(false, true, m, n, k, a, k, bT, k);

        float[] c = new float[m * n];
        Gemm.nt(a, m, k, bT, n, c);
        assertClose("nt", expected, c, scale, TOL);
        Gemm.nn(a, m, k, b, n, c);
        assertClose("nn", expected, c, scale, TOL);
        Gemm.tn(aT, m, k, b, n, c);
        assertClose("tn", expected, c, scale, TOL);
    }

    @ParameterizedTest(name = "transA={0} transB={1}")
    @MethodSource("transposes")
    void accumulatesIntoStridedSubMatrices(boolean transA, boolean transB) {
        Random rnd = new Random(7);
        int m = 41, n = 75, k = 300;
        int aRows = transA ? k : m, aCols = transA ? m : k, bRows = transB ? n : k, bCols = transB ? k : n;
        int lda = aCols + 3, ldb = bCols + 5, ldc = n + 2, aOff = 11, bOff = 4, cOff = 9;
        float[] a = random(rnd, aOff + aRows * lda), b = random(rnd, bOff + bRows * ldb);
        float[] c0 = random(rnd, cOff + m * ldc + 6);
        float[] expected = c0.clone();
        Gemm.reference(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, expected, cOff, ldc, true);

        float[] c = c0.clone();
        Gemm.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, true);
        // Small blocks: the depth blocks after the first add into C on top of the caller's accumulate.
        float[] cSmall = c0.clone();
        Gemm.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, cSmall, cOff, ldc, true, 2, SMALL);

        // Allowance Σ|a·b| + |c0| inside C; zero on the padding between and after rows, which must stay untouched.
        float[] absAb = new float[c.length];
        Gemm.reference(transA, transB, m, n, k, abs(a), aOff, lda, abs(b), bOff, ldb, absAb, cOff, ldc, false);
        float[] scale = new float[c.length];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int at = cOff + i * ldc + j;
                scale[at] = absAb[at] + Math.abs(c0[at]);
            }
        }
        assertClose("accumulate, strided", expected, c, scale, TOL);
        assertClose("accumulate, strided, small blocks", expected, cSmall, scale, TOL);
    }

    static Stream<Arguments> transposes() {
        return Stream.of(Arguments.of(false, false), Arguments.of(false, true), Arguments.of(true, false),
                Arguments.of(true, true));
    }

    @ParameterizedTest(name = "m={0} n={1} k={2}")
    @MethodSource("parallelShapes")
    void multiThreadedEqualsSingleThreadedExactly(int m, int n, int k) {
        Random rnd = new Random(m + n + k);
        float[] a = random(rnd, m * k), b = random(rnd, n * k);
        for (Gemm.Blocking blocking : List.of(Gemm.Blocking.DEFAULT, SMALL)) {
            float[] one = new float[m * n], many = new float[m * n];
            Gemm.gemm(false, true, m, n, k, a, 0, k, b, 0, k, one, 0, n, false, 1, blocking);
            Gemm.gemm(false, true, m, n, k, a, 0, k, b, 0, k, many, 0, n, false, 4, blocking);
            // Each thread owns whole tiles and sums in the same order, so the results are bit-identical.
            assertThat(many).as("4 threads vs 1, %dx%dx%d, %s", m, n, k, blocking).containsExactly(one);
        }
    }

    static Stream<Arguments> parallelShapes() {
        return Stream.of(Arguments.of(257, 130, 300), Arguments.of(8, 400, 1500), Arguments.of(129, 129, 129));
    }

    @Test
    void zeroDepthClearsOrKeepsC() {
        float[] c = {1, 2, 3, 4};
        Gemm.gemm(false, false, 2, 2, 0, new float[0], 0, 0, new float[0], 0, 2, c, 0, 2, true);
        assertThat(c).containsExactly(1, 2, 3, 4);
        Gemm.gemm(false, false, 2, 2, 0, new float[0], 0, 0, new float[0], 0, 2, c, 0, 2, false);
        assertThat(c).containsExactly(0, 0, 0, 0);
    }

    @Test
    void rejectsOperandsThatDoNotFit() {
        assertThatThrownBy(() -> Gemm.nt(new float[5], 2, 3, new float[6], 2, new float[4]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("A stored as 2x3");
        assertThatThrownBy(() -> Gemm.nn(new float[6], 2, 3, new float[6], 3, new float[6]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("B stored as 3x3");
        assertThatThrownBy(() -> Gemm.tn(new float[6], 2, 3, new float[6], 2, new float[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("C stored as 2x2");
    }

    /** Σ_p |op(A)[i,p]|·|op(B)[p,j]|: the scale of the rounding error of element (i, j). */
    static float[] absProduct(boolean transA, boolean transB, int m, int n, int k, float[] a, int lda, float[] b,
                              int ldb) {
        float[] s = new float[m * n];
        Gemm.reference(transA, transB, m, n, k, abs(a), 0, lda, abs(b), 0, ldb, s, 0, n, false);
        return s;
    }

    static float[] transpose(float[] x, int rows, int cols) {
        float[] t = new float[x.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j];
        }
        return t;
    }
}
