package dev.prune4j.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

/** Test helper: fast exact comparison of large float arrays, reporting the first difference. */
public final class FloatArrays {
    private FloatArrays() {}

    /** Asserts the arrays hold the same floats bit for bit (NaN equal to NaN, 0 different from -0). */
    public static void assertSameBits(String label, float[] actual, float[] expected) {
        assertThat(actual.length).as("%s length", label).isEqualTo(expected.length);
        if (Arrays.equals(actual, expected)) return;
        int i = Arrays.mismatch(actual, expected);
        throw new AssertionError(label + ": first difference at element " + i + ": " + actual[i] + " (0x"
                + Integer.toHexString(Float.floatToRawIntBits(actual[i])) + ") instead of " + expected[i] + " (0x"
                + Integer.toHexString(Float.floatToRawIntBits(expected[i])) + ")");
    }
}
