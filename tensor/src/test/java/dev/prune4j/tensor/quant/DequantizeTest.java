package dev.prune4j.tensor.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prune4j.tensor.GgmlType;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class DequantizeTest {
    static final List<GgmlType> BLOCK_TYPES = List.of(GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1,
            GgmlType.Q8_0, GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K);

    /** One type's entry of dequant_random_golden.txt: random blocks and gguf-py's decode of them. */
    record Golden(GgmlType type, byte[] bytes, float[] values) {
        @Override
        public String toString() {
            return type.name();
        }
    }

    static Stream<Golden> randomBlocksGolden() throws IOException {
        List<Golden> out = new ArrayList<>();
        try (InputStream in = DequantizeTest.class.getResourceAsStream("/quant/dequant_random_golden.txt")) {
            assertThat(in).as("fixture made by tools/fixtures/dequant_golden.py").isNotNull();
            String[] lines = new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (!lines[i].startsWith("type ")) continue;
                String[] head = lines[i].split(" ");
                byte[] bytes = HexFormat.of().parseHex(lines[i + 1].substring("bytes ".length()));
                String[] hex = lines[i + 2].substring("floats ".length()).split(" ");
                float[] values = new float[hex.length];
                for (int k = 0; k < hex.length; k++) values[k] = Float.intBitsToFloat(Integer.parseUnsignedInt(hex[k], 16));
                assertThat(values).hasSize(Integer.parseInt(head[2]));
                out.add(new Golden(GgmlType.valueOf(head[1]), bytes, values));
            }
        }
        assertThat(out).extracting(Golden::type).containsExactlyInAnyOrderElementsOf(BLOCK_TYPES);
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("randomBlocksGolden")
    void matchesGgufPyBitForBitOnRandomBlocks(Golden g) {
        float[] y = Dequantize.toFloat(g.type(), MemorySegment.ofArray(g.bytes()), 0, g.values().length);
        for (int i = 0; i < y.length; i++) {
            assertThat(Float.floatToRawIntBits(y[i]))
                    .as("%s element %d: ours %s, gguf-py %s", g.type(), i, y[i], g.values()[i])
                    .isEqualTo(Float.floatToRawIntBits(g.values()[i]));
        }
    }

    @Test
    void widensF16IncludingSubnormalsAndInfinities() {
        short[] halves = {0x0000, (short) 0x8000, 0x3c00, (short) 0xc000, 0x0001, 0x03ff, 0x7bff, 0x7c00, (short) 0xfc00};
        float[] expected = {0f, -0f, 1f, -2f, 0x1p-24f, 0x3ffp-24f, 65504f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        MemorySegment seg = MemorySegment.ofArray(new byte[2 + 2 * halves.length]);
        for (int i = 0; i < halves.length; i++) seg.set(Dequantize.I16_LE, 2 + 2L * i, halves[i]);

        float[] y = new float[1 + halves.length];
        Dequantize.toFloat(GgmlType.F16, seg, 2, y, 1, halves.length);

        for (int i = 0; i < halves.length; i++) {
            assertThat(Float.floatToRawIntBits(y[1 + i])).as("half %04x", halves[i])
                    .isEqualTo(Float.floatToRawIntBits(expected[i]));
        }
    }

    @Test
    void widensLongF16RunsAcrossChunkBoundaries() {
        int n = 10_001;
        MemorySegment seg = MemorySegment.ofArray(new byte[2 * n]);
        for (int i = 0; i < n; i++) seg.set(Dequantize.I16_LE, 2L * i, Float.floatToFloat16(i * 0.25f));
        float[] y = Dequantize.toFloat(GgmlType.F16, seg, 0, n);
        for (int i = 0; i < n; i++) {
            assertThat(y[i]).isEqualTo(Float.float16ToFloat(Float.floatToFloat16(i * 0.25f)));
        }
    }

    @Test
    void widensBf16AndCopiesF32() {
        float[] values = {1.5f, -0.0078125f, 3.0e38f, Float.NEGATIVE_INFINITY};
        MemorySegment bf = MemorySegment.ofArray(new byte[2 * values.length]);
        MemorySegment f32 = MemorySegment.ofArray(new byte[4 * values.length]);
        for (int i = 0; i < values.length; i++) {
            int bits = Float.floatToRawIntBits(values[i]) & 0xffff0000; // exactly representable in bf16
            bf.set(Dequantize.I16_LE, 2L * i, (short) (bits >>> 16));
            f32.set(Dequantize.F32_LE, 4L * i, values[i]);
        }
        float[] fromBf16 = Dequantize.toFloat(GgmlType.BF16, bf, 0, values.length);
        float[] fromF32 = Dequantize.toFloat(GgmlType.F32, f32, 0, values.length);
        for (int i = 0; i < values.length; i++) {
            assertThat(fromBf16[i]).isEqualTo(Float.intBitsToFloat(Float.floatToRawIntBits(values[i]) & 0xffff0000));
        }
        assertThat(fromF32).containsExactly(values);
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    void refusesCountsThatAreNotWholeBlocks(GgmlType type) {
        MemorySegment seg = MemorySegment.ofArray(new byte[4 * type.typeSize]);
        float[] dst = new float[4 * type.blockSize];
        assertThatThrownBy(() -> Dequantize.toFloat(type, seg, 0, dst, 0, type.blockSize + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(type.name())
                .hasMessageContaining("blocks of " + type.blockSize);
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F16", "BF16", "F32", "Q4_1", "Q8_0", "Q4_K", "Q6_K"})
    void refusesSourceOrDestinationRangesThatDoNotExist(GgmlType type) {
        int count = 2 * type.blockSize * (type.isQuantized() ? 1 : 32);
        MemorySegment seg = MemorySegment.ofArray(new byte[(int) type.byteSize(count)]);
        assertThatThrownBy(() -> Dequantize.toFloat(type, seg, 1, new float[count], 0, count))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("the source has " + seg.byteSize());
        assertThatThrownBy(() -> Dequantize.toFloat(type, seg, 0, new float[count], 1, count))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("array of " + count);
    }

    @Test
    void refusesQ8_KWhichNeverStoresWeights() {
        MemorySegment seg = MemorySegment.ofArray(new byte[GgmlType.Q8_K.typeSize]);
        assertThatThrownBy(() -> Dequantize.toFloat(GgmlType.Q8_K, seg, 0, 256))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("Q8_K");
    }
}
