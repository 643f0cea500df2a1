package dev.prune4j.tensor.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class FastMathTest {
    private static final int L = Simd.F.length();

    @Test
    void expIsAccurateAndItsScalarTwinGivesTheSameBits() {
        Random r = new Random(1);
        float[] x = new float[4096];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextDouble() * 180 - 90);
        x[0] = 0f;
        x[1] = -100f;
        x[2] = 88f;
        double maxRel = 0;
        float[] lanes = new float[L];
        for (int i = 0; i + L <= x.length; i += L) {
            FastMath.exp(FloatVector.fromArray(Simd.F, x, i)).intoArray(lanes, 0);
            for (int j = 0; j < L; j++) {
                float v = x[i + j];
                assertThat(Float.floatToRawIntBits(lanes[j])).as("lane vs scalar at x=%s", v)
                        .isEqualTo(Float.floatToRawIntBits(FastMath.exp(v)));
                double ref = Math.exp(Math.min(v, 88f));
                if (v < -87.33654f) assertThat(lanes[j]).isZero();
                else maxRel = Math.max(maxRel, Math.abs(lanes[j] - ref) / ref);
            }
        }
        assertThat(maxRel).as("max relative error of exp").isLessThan(3e-7);
        assertThat(FastMath.exp(0f)).isEqualTo(1f);
    }

    @Test
    void tanhIsAccurate() {
        double maxAbs = 0;
        for (float v = -20f; v <= 20f; v += 0.001f) maxAbs = Math.max(maxAbs, Math.abs(FastMath.tanh(v) - Math.tanh(v)));
        assertThat(maxAbs).as("max absolute error of tanh").isLessThan(3e-7);
        assertThat(FastMath.tanh(50f)).isEqualTo(1f);
        assertThat(FastMath.tanh(-50f)).isEqualTo(-1f);
    }
}
