package dev.prune4j.tensor.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prune4j.tensor.GgmlType;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class EncodeTest {
    @Test
    void bf16RoundsToNearestWithTiesToEven() {
        // 1 + 2^-8 is halfway between bf16 neighbours 1 and 1 + 2^-7: ties go to the even one (1).
        assertThat(Encode.toBf16(1f + 0x1p-8f)).isEqualTo((short) 0x3f80);
        // 1 + 3 * 2^-8 is halfway between 1 + 2^-7 (odd) and 1 + 2^-6 (even): goes up.
        assertThat(Encode.toBf16(1f + 3 * 0x1p-8f)).isEqualTo((short) 0x3f82);
        assertThat(Encode.toBf16(1f + 0x1p-8f + 0x1p-20f)).isEqualTo((short) 0x3f81);
        assertThat(Encode.toBf16(-2f)).isEqualTo((short) 0xc000);
        assertThat(Encode.toBf16(Float.MAX_VALUE)).isEqualTo((short) 0x7f80); // rounds up to infinity
        assertThat(Float.isNaN(Float.intBitsToFloat(Encode.toBf16(Float.NaN) << 16))).isTrue();
    }

    @Test
    void roundTripsThroughEachPlainType() {
        float[] values = {0f, 1f, -2.5f, 0.1f, 65504f, 1e-4f, -3.3e4f}; // all normal in f16
        for (GgmlType type : new GgmlType[] {GgmlType.F32, GgmlType.F16, GgmlType.BF16}) {
            MemorySegment seg = MemorySegment.ofArray(new byte[3 + Encode.bytesPerElement(type) * values.length]);
            Encode.fromFloat(type, values, 0, values.length, seg, 3);
            float[] back = Dequantize.toFloat(type, seg, 3, values.length);
            for (int i = 0; i < values.length; i++) {
                float expected = switch (type) {
                    case F32 -> values[i];
                    case F16 -> Float.float16ToFloat(Float.floatToFloat16(values[i]));
                    default -> Float.intBitsToFloat(Encode.toBf16(values[i]) << 16);
                };
                assertThat(back[i]).as("%s %s", type, values[i]).isEqualTo(expected);
                assertThat(Math.abs(back[i] - values[i])).isLessThanOrEqualTo(Math.abs(values[i]) * 0x1p-8f);
            }
        }
    }

    @Test
    void refusesBlockTypes() {
        assertThatThrownBy(() -> Encode.fromFloat(GgmlType.Q8_0, new float[32], 0, 32, MemorySegment.ofArray(new byte[34]), 0))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("Q8_0");
    }
}
