package dev.prune4j.model.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prune4j.model.Assets;
import dev.prune4j.model.FloatArrays;
import dev.prune4j.tensor.GgmlType;
import dev.prune4j.tensor.quant.Encode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufWriterTest {
    @TempDir Path dir;

    static Map<String, GgufValue> everyValueType() {
        Map<String, GgufValue> m = new LinkedHashMap<>();
        m.put("general.architecture", GgufValue.string("llama"));
        m.put("t.uint8", GgufValue.of(GgufValueType.UINT8, 200));
        m.put("t.int8", GgufValue.of(GgufValueType.INT8, -100));
        m.put("t.uint16", GgufValue.of(GgufValueType.UINT16, 60000));
        m.put("t.int16", GgufValue.of(GgufValueType.INT16, -30000));
        m.put("t.uint32", GgufValue.uint32(4_000_000_000L));
        m.put("t.int32", GgufValue.of(GgufValueType.INT32, -2_000_000_000));
        m.put("t.uint64", GgufValue.of(GgufValueType.UINT64, -1L));
        m.put("t.int64", GgufValue.of(GgufValueType.INT64, Long.MIN_VALUE + 1));
        m.put("t.float32", GgufValue.float32(1e-5f));
        m.put("t.float64", GgufValue.of(GgufValueType.FLOAT64, Math.PI));
        m.put("t.bool", GgufValue.of(GgufValueType.BOOL, true));
        m.put("t.string.unicode", GgufValue.string("▁héllo ✓ 日本"));
        m.put("a.uint8", GgufValue.array(GgufValueType.UINT8, new byte[] {1, (byte) 255}));
        m.put("a.int8", GgufValue.array(GgufValueType.INT8, new byte[] {-1, 7}));
        m.put("a.bool", GgufValue.array(GgufValueType.BOOL, new boolean[] {true, false, true}));
        m.put("a.uint16", GgufValue.array(GgufValueType.UINT16, new short[] {(short) 65535, 3}));
        m.put("a.int16", GgufValue.array(GgufValueType.INT16, new short[] {-5, 5}));
        m.put("a.uint32", GgufValue.array(GgufValueType.UINT32, new int[] {-1, 1}));
        m.put("a.int32", GgufValue.array(GgufValueType.INT32, new int[] {1, 2, 3}));
        m.put("a.uint64", GgufValue.array(GgufValueType.UINT64, new long[] {-1L}));
        m.put("a.int64", GgufValue.array(GgufValueType.INT64, new long[] {Long.MAX_VALUE, 0}));
        m.put("a.float32", GgufValue.array(GgufValueType.FLOAT32, new float[] {0.5f, Float.NaN, -0f}));
        m.put("a.float64", GgufValue.array(GgufValueType.FLOAT64, new double[] {1e300}));
        m.put("a.string", GgufValue.array(GgufValueType.STRING, new String[] {"<s>", "", "Ġthe"}));
        m.put("a.empty", GgufValue.array(GgufValueType.INT32, new int[0]));
        m.put("a.nested", GgufValue.array(GgufValueType.ARRAY, new GgufValue[] {
                GgufValue.array(GgufValueType.INT32, new int[] {4, 5}),
                GgufValue.array(GgufValueType.STRING, new String[] {"x"})}));
        return m;
    }

    static float[] randomFloats(long seed, int n) {
        Random rnd = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextGaussian() * 3;
        return a;
    }

    @Test
    void roundTripsEveryMetadataTypeAndTheTensorData() throws IOException {
        Map<String, GgufValue> meta = everyValueType();
        List<GgufWriter.Tensor> tensors = List.of(
                new GgufWriter.Tensor("blk.0.attn_q.weight", new long[] {7, 3}, GgmlType.F32, randomFloats(1, 21)),
                new GgufWriter.Tensor("blk.0.ffn_up.weight", new long[] {5, 2, 3}, GgmlType.F16, randomFloats(2, 30)),
                new GgufWriter.Tensor("output_norm.weight", new long[] {9}, GgmlType.BF16, randomFloats(3, 9)));
        Path file = dir.resolve("m.gguf");

        GgufWriter.write(file, meta, tensors);

        try (GgufFile g = GgufFile.open(file)) {
            assertThat(g.version()).isEqualTo(3);
            assertThat(g.metadata()).containsExactlyEntriesOf(meta);
            assertThat(g.tensors().keySet()).containsExactly("blk.0.attn_q.weight", "blk.0.ffn_up.weight", "output_norm.weight");
            for (GgufWriter.Tensor t : tensors) {
                GgufTensorInfo info = g.tensor(t.name());
                assertThat(info.dims()).containsExactly(t.dims());
                assertThat(info.type()).isEqualTo(t.type());
                assertThat(info.offset() % GgufFile.DEFAULT_ALIGNMENT).isZero();
                float[] back = g.readFloats(t.name());
                for (int i = 0; i < back.length; i++) {
                    float x = t.data()[i];
                    float expected = switch (t.type()) {
                        case F16 -> Float.float16ToFloat(Float.floatToFloat16(x));
                        case BF16 -> Float.intBitsToFloat(Encode.toBf16(x) << 16);
                        default -> x;
                    };
                    assertThat(back[i]).as("%s[%d]", t.name(), i).isEqualTo(expected);
                    // f16 has 11 significant bits, bf16 8: the stored value is within half an ulp.
                    float relative = t.type() == GgmlType.F16 ? 0x1p-11f : t.type() == GgmlType.BF16 ? 0x1p-8f : 0f;
                    assertThat(Math.abs(back[i] - x)).isLessThanOrEqualTo(Math.abs(x) * relative);
                }
            }
        }
    }

    @Test
    void alignsTensorDataToGeneralAlignment() throws IOException {
        Map<String, GgufValue> meta = new LinkedHashMap<>();
        meta.put(GgufFile.ALIGNMENT_KEY, GgufValue.uint32(256));
        List<GgufWriter.Tensor> tensors = List.of(
                new GgufWriter.Tensor("a", new long[] {3}, GgmlType.F32, new float[] {1, 2, 3}),
                new GgufWriter.Tensor("b", new long[] {5}, GgmlType.F16, new float[] {4, 5, 6, 7, 8}));
        Path file = dir.resolve("aligned.gguf");
        GgufWriter.write(file, meta, tensors);

        try (GgufFile g = GgufFile.open(file)) {
            assertThat(g.tensor("a").offset()).isZero();
            assertThat(g.tensor("b").offset()).isEqualTo(256);
            assertThat(g.data(g.tensor("a")).address() % 256).isZero();
            assertThat(g.readFloats("b")).containsExactly(4, 5, 6, 7, 8);
        }
        assertThat(Files.size(file) % 256).isZero();
    }

    @Test
    void rewritesStories260KAsF32AndF16() throws IOException {
        Path stories = Assets.stories260K().orElse(null);
        Assumptions.assumeTrue(stories != null, "stories260K-f32.gguf not found in ../shared/models");
        try (GgufFile src = GgufFile.open(stories)) {
            for (GgmlType type : new GgmlType[] {GgmlType.F32, GgmlType.F16}) {
                Path out = dir.resolve("stories-" + type + ".gguf");
                List<GgufWriter.Tensor> tensors = new ArrayList<>();
                for (GgufTensorInfo t : src.tensors().values()) {
                    tensors.add(new GgufWriter.Tensor(t.name(), t.dims(), type, src.readFloats(t.name())));
                }
                GgufWriter.write(out, src.metadata(), tensors);

                try (GgufFile back = GgufFile.open(out)) {
                    assertThat(back.metadata()).containsExactlyEntriesOf(src.metadata());
                    assertThat(back.tensors().keySet()).containsExactlyElementsOf(src.tensors().keySet());
                    for (GgufTensorInfo t : src.tensors().values()) {
                        float[] expected = src.readFloats(t.name());
                        if (type == GgmlType.F16) {
                            for (int i = 0; i < expected.length; i++) expected[i] = Float.float16ToFloat(Float.floatToFloat16(expected[i]));
                        }
                        assertThat(back.tensor(t.name()).dims()).containsExactly(t.dims());
                        FloatArrays.assertSameBits(t.name(), back.readFloats(t.name()), expected);
                    }
                }
            }
            // The F32 copy has the same layout as the source, so it has the same size.
            assertThat(Files.size(dir.resolve("stories-F32.gguf"))).isEqualTo(Files.size(stories));
        }
    }

    @Test
    void aFailedWriteLeavesTheExistingFileAndNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("model.gguf");
        GgufWriter.write(file, Map.of("k", GgufValue.string("good")), List.of());
        byte[] good = Files.readAllBytes(file);

        List<GgufWriter.Tensor> wrongLength = List.of(new GgufWriter.Tensor("blk.0.ffn_up.weight", new long[] {4, 2}, GgmlType.F32, new float[7]));
        assertThatThrownBy(() -> GgufWriter.write(file, Map.of(), wrongLength))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("blk.0.ffn_up.weight").hasMessageContaining("8 values");
        Map<String, GgufValue> wrongType = Map.of("llama.block_count", GgufValue.of(GgufValueType.UINT32, "five"));
        assertThatThrownBy(() -> GgufWriter.write(file, wrongType, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("llama.block_count").hasMessageContaining("UINT32");

        assertThat(Files.readAllBytes(file)).isEqualTo(good);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void writtenFilesGetTheUsualPermissions() throws IOException {
        Path file = dir.resolve("perm.gguf");
        GgufWriter.write(file, Map.of(), List.of());
        assertThat(Files.getPosixFilePermissions(file)).contains(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        Path plain = Files.createFile(dir.resolve("plain"));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Files.getPosixFilePermissions(plain));
    }

    @Test
    void refusesWhatGgmlCannotRead() {
        Path file = dir.resolve("bad.gguf");
        float[] four = new float[4];
        assertThatThrownBy(() -> GgufWriter.write(file, Map.of(), List.of(
                new GgufWriter.Tensor("x", new long[] {4}, GgmlType.F32, four),
                new GgufWriter.Tensor("x", new long[] {4}, GgmlType.F32, four))))
                .hasMessageContaining("tensor x: written twice");
        assertThatThrownBy(() -> GgufWriter.write(file, Map.of(), List.of(
                new GgufWriter.Tensor("q", new long[] {4}, GgmlType.Q8_0, four))))
                .hasMessageContaining("tensor q: type Q8_0 cannot be written");
        assertThatThrownBy(() -> GgufWriter.write(file, Map.of(), List.of(
                new GgufWriter.Tensor("n".repeat(64), new long[] {4}, GgmlType.F32, four))))
                .hasMessageContaining("longer than 63 bytes");
        assertThatThrownBy(() -> GgufWriter.write(file, Map.of(GgufFile.ALIGNMENT_KEY, GgufValue.uint32(24)), List.of()))
                .hasMessageContaining("general.alignment must be a UINT32 power of two");
        assertThatThrownBy(() -> GgufWriter.write(file, Map.of("u8", GgufValue.of(GgufValueType.UINT8, 256)), List.of()))
                .hasMessageContaining("u8: 256 does not fit in UINT8");
        assertThat(file).doesNotExist();
    }
}
