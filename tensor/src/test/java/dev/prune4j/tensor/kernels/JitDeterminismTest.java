package dev.prune4j.tensor.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A kernel must give the same bits whether it runs interpreted, in C1 or in C2. This was broken twice: by
 * {@code reduceLanes(ADD)} (its order is left to the implementation) and by the Vector API's EXP intrinsic; the
 * forward pass then changed its last bits during JIT warm-up. Each kernel runs once cold, then often enough for C2.
 */
class JitDeterminismTest {
    private static final int WARM_CALLS = 30_000;

    private static void sameBitsWhenWarm(String name, Supplier<float[]> kernel) {
        float[] cold = kernel.get();
        for (int i = 0; i < WARM_CALLS; i++) {
            float[] warm = kernel.get();
            if (!Arrays.equals(warm, cold)) {
                throw new AssertionError(name + ": call " + i + " differs from the first (cold) call");
            }
        }
    }

    private static float[] gaussian(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian() * 3;
        return a;
    }

    @Test
    void activationsSoftmaxNormsDotAndSmallMatmulsAreStable() {
        float[] x = gaussian(203, 1), up = gaussian(203, 2), w = gaussian(50 * 32, 3), m = gaussian(8 * 32, 4);
        sameBitsWhenWarm("softmax", () -> { float[] a = x.clone(); VectorOps.softmax(a, 0, a.length); return a; });
        sameBitsWhenWarm("siluMul", () -> { float[] a = x.clone(); VectorOps.siluMul(a, up, a.length); return a; });
        sameBitsWhenWarm("geluMul", () -> { float[] a = x.clone(); VectorOps.geluMul(a, up, a.length); return a; });
        sameBitsWhenWarm("rmsNorm", () -> { float[] a = new float[200]; VectorOps.rmsNorm(x, up, 1e-5f, 1, 200, a); return a; });
        sameBitsWhenWarm("dot", () -> new float[] {VectorOps.dot(x, 3, up, 1, 199)});
        sameBitsWhenWarm("xwT dot loop", () -> { float[] y = new float[8 * 50]; MatMul.xwT(m, 8, 32, w, 50, y); return y; });
        sameBitsWhenWarm("xwT gemv", () -> { float[] y = new float[50]; MatMul.xwT(x, 1, 32, w, 50, y); return y; });
    }

    @Test
    void firstCallsAlreadyAgreeWithAFreshArray() {
        // and the check above can fail: a kernel with a different result per call is caught
        float[] counter = {0};
        try {
            sameBitsWhenWarm("broken", () -> new float[] {counter[0]++});
            throw new IllegalStateException("the determinism check accepted a changing kernel");
        } catch (AssertionError expected) {
            assertThat(expected).hasMessageContaining("broken: call 0 differs");
        }
    }
}
