package dev.prune4j.model.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prune4j.model.Assets;
import dev.prune4j.model.FloatArrays;
import dev.prune4j.model.ModelFormatException;
import dev.prune4j.tensor.GgmlType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The reader on good files of every version and on damaged or hand-crafted bad ones. */
class GgufFileTest {
    @TempDir Path dir;

    /** A hand-made file: {@code body} writes everything after magic and version. */
    Path craft(String name, int magic, int version, Consumer<GgufEncoder> body) throws IOException {
        GgufEncoder out = new GgufEncoder();
        out.u32(magic);
        out.u32(version);
        body.accept(out);
        Path file = dir.resolve(name);
        Files.write(file, out.toArray());
        return file;
    }

    /** A v3 header with no metadata and one tensor info; data follows after padding to 32. */
    Path oneTensor(String name, long[] dims, int typeId, long offset, int dataBytes) throws IOException {
        return craft(name, GgufFile.MAGIC, 3, out -> {
            out.u64(1);
            out.u64(0);
            out.string("blk.0.attn_q.weight");
            out.u32(dims.length);
            for (long d : dims) out.u64(d);
            out.u32(typeId);
            out.u64(offset);
            while (out.size() % 32 != 0) out.u8(0);
            for (int i = 0; i < dataBytes; i++) out.u8(0);
        });
    }

    static AbstractThrowableAssert<?, ? extends Throwable> assertOpenFails(Path file) {
        return assertThatThrownBy(() -> GgufFile.open(file).close())
                .isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith(file + ": ");
    }

    @Test
    void readsAHandMadeFile() throws IOException {
        Path file = oneTensor("ok.gguf", new long[] {2, 3}, GgmlType.F32.id, 0, 24);
        try (GgufFile g = GgufFile.open(file)) {
            GgufTensorInfo t = g.tensor("blk.0.attn_q.weight");
            assertThat(t.dims()).containsExactly(2, 3);
            assertThat(t.rows()).isEqualTo(3);
            assertThat(t.cols()).isEqualTo(2);
            assertThat(g.readFloats(t.name())).containsOnly(0f).hasSize(6);
        }
    }

    @Test
    void truncatedFilesNameTheFileAndWhereTheyEnd() throws IOException {
        Path good = dir.resolve("good.gguf");
        GgufWriter.write(good, GgufWriterTest.everyValueType(), List.of(
                new GgufWriter.Tensor("token_embd.weight", new long[] {8, 4}, GgmlType.F32, new float[32])));
        byte[] bytes = Files.readAllBytes(good);
        try (GgufFile g = GgufFile.open(good)) {
            assertThat(g.readFloats("token_embd.weight")).hasSize(32);
        }
        int tensorInfo = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).lastIndexOf("token_embd.weight");
        // Cut inside the metadata, inside the tensor info and inside the tensor data.
        for (int cut : new int[] {0, 5, 12, 40, 300, tensorInfo + 5, tensorInfo + 20, bytes.length - 1}) {
            Path file = dir.resolve("cut" + cut + ".gguf");
            Files.write(file, Arrays.copyOf(bytes, cut));
            var failure = assertOpenFails(file);
            if (cut < 8) failure.hasMessageContaining("too short");
            else if (cut >= bytes.length - 128) failure.hasMessageContaining("token_embd.weight").hasMessageContaining("past the end");
            else failure.hasMessageContaining("truncated GGUF header");
        }
    }

    @Test
    void wrongMagicIsRefused() throws IOException {
        Path file = craft("magic.gguf", 0x46554746, 3, out -> out.u64(0));
        assertOpenFails(file).hasMessageContaining("not a GGUF file").hasMessageContaining("0x46554746");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 4, 0x03000000})
    void unsupportedVersionsAreRefused(int version) throws IOException {
        Path file = craft("v" + version + ".gguf", GgufFile.MAGIC, version, out -> { out.u64(0); out.u64(0); });
        var failure = assertOpenFails(file).hasMessageContaining("unsupported GGUF version " + version);
        if (version == 0x03000000) failure.hasMessageContaining("big-endian");
    }

    @Test
    void unknownGgmlTypeIdNamesTheTensor() throws IOException {
        Path file = oneTensor("type.gguf", new long[] {32}, 99, 0, 128);
        assertOpenFails(file).hasMessageContaining("tensor blk.0.attn_q.weight: unsupported ggml type id 99");
    }

    @Test
    void missingTensorNamesFileAndTensor() throws IOException {
        Path file = oneTensor("missing.gguf", new long[] {2}, GgmlType.F32.id, 0, 8);
        try (GgufFile g = GgufFile.open(file)) {
            assertThatThrownBy(() -> g.tensor("output.weight")).isInstanceOf(ModelFormatException.class)
                    .hasMessage(file + ": missing tensor output.weight");
            assertThatThrownBy(() -> g.readFloats("output.weight")).hasMessageContaining("missing tensor output.weight");
        }
    }

    @Test
    void tensorDataPastTheEndIsRefused() throws IOException {
        assertOpenFails(oneTensor("short.gguf", new long[] {64}, GgmlType.F32.id, 0, 255))
                .hasMessageContaining("tensor blk.0.attn_q.weight: 256 bytes at offset 0 of the data section run past the end of the file (255 data bytes");
        assertOpenFails(oneTensor("far.gguf", new long[] {1}, GgmlType.F32.id, 1L << 40, 32))
                .hasMessageContaining("past the end");
        // An offset of 2^63 or more must not wrap around into a negative end that passes the size check.
        assertOpenFails(oneTensor("wrap.gguf", new long[] {1}, GgmlType.F32.id, -32L, 32))
                .hasMessageContaining("tensor blk.0.attn_q.weight: 4 bytes at offset " + Long.toUnsignedString(-32L))
                .hasMessageContaining("past the end");
    }

    @Test
    void misalignedOffsetsAndPartialBlocksAreRefused() throws IOException {
        assertOpenFails(oneTensor("misaligned.gguf", new long[] {1}, GgmlType.F32.id, 4, 64))
                .hasMessageContaining("not a multiple of the alignment 32");
        assertOpenFails(oneTensor("partial.gguf", new long[] {16, 2}, GgmlType.Q4_0.id, 0, 64))
                .hasMessageContaining("first dimension 16 is not a multiple of the Q4_0 block size 32");
        assertOpenFails(oneTensor("zero.gguf", new long[] {4, 0}, GgmlType.F32.id, 0, 64))
                .hasMessageContaining("implausible dimensions");
        assertOpenFails(oneTensor("huge.gguf", new long[] {1L << 31, 1L << 31, 1L << 31, 4}, GgmlType.F32.id, 0, 64))
                .hasMessageContaining("implausible dimensions");
        // 2^62 elements fit in a long, but their 2^64 bytes would not.
        assertOpenFails(oneTensor("bytes.gguf", new long[] {1L << 62}, GgmlType.F32.id, 0, 64))
                .hasMessageContaining("implausible dimensions");
    }

    @Test
    void badMetadataIsRefusedWithTheKey() throws IOException {
        assertOpenFails(craft("vtype.gguf", GgufFile.MAGIC, 3, out -> {
            out.u64(0); out.u64(1); out.string("general.name"); out.u32(42);
        })).hasMessageContaining("metadata key general.name: unknown value type id 42");

        assertOpenFails(craft("count.gguf", GgufFile.MAGIC, 3, out -> {
            out.u64(0); out.u64(1); out.string("tokenizer.ggml.scores"); out.u32(GgufValueType.ARRAY.ordinal());
            out.u32(GgufValueType.FLOAT32.ordinal()); out.u64(1_000_000_000L);
        })).hasMessageContaining("array tokenizer.ggml.scores of 1000000000 FLOAT32");

        assertOpenFails(craft("strlen.gguf", GgufFile.MAGIC, 3, out -> {
            out.u64(0); out.u64(1); out.u64(-1L);
        })).hasMessageContaining("implausible length of metadata key #0 18446744073709551615");

        assertOpenFails(craft("dup.gguf", GgufFile.MAGIC, 3, out -> {
            out.u64(0); out.u64(2);
            for (int i = 0; i < 2; i++) { out.string("general.name"); out.typedValue("", GgufValue.string("x")); }
        })).hasMessageContaining("duplicate metadata key general.name");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 24})
    void badAlignmentIsRefused(long alignment) throws IOException {
        assertOpenFails(craft("align" + alignment + ".gguf", GgufFile.MAGIC, 3, out -> {
            out.u64(0); out.u64(1); out.string(GgufFile.ALIGNMENT_KEY); out.typedValue("", GgufValue.uint32(alignment));
        })).hasMessageContaining("general.alignment must be a positive power of two");
    }

    @Test
    void typedGettersNameKeyAndTypeOnMismatch() throws IOException {
        Path file = dir.resolve("typed.gguf");
        GgufWriter.write(file, GgufWriterTest.everyValueType(), List.of());
        try (GgufFile g = GgufFile.open(file)) {
            assertThatThrownBy(() -> g.getString("t.uint32")).hasMessage(file + ": metadata key t.uint32 is a UINT32, expected a string");
            assertThatThrownBy(() -> g.getStringArray("a.int32")).hasMessageContaining("is an array of INT32, expected a string array");
            assertThatThrownBy(() -> g.getString("nope")).hasMessage(file + ": missing metadata key nope");
            assertThat(g.getIntArray("a.uint8")).containsExactly(1, 255);
            assertThat(g.getIntArray("a.uint16")).containsExactly(65535, 3);
            assertThat(g.getIntArray("a.int16")).containsExactly(-5, 5);
            assertThat(g.getIntArray("a.int8")).containsExactly(-1, 7);
            assertThatThrownBy(() -> g.getIntArray("a.uint32")).hasMessageContaining("4294967295 does not fit in an int");
            assertThatThrownBy(() -> g.getIntArray("a.uint64")).hasMessageContaining("18446744073709551615 does not fit");
            assertThat(g.getLong("t.uint32")).isEqualTo(4_000_000_000L);
            assertThat(g.getBoolean("t.bool", false)).isTrue();
        }
    }

    @Test
    void aMissingFileSaysSo() {
        Path file = dir.resolve("absent.gguf");
        assertThatThrownBy(() -> GgufFile.open(file)).isInstanceOf(NoSuchFileException.class).hasMessageContaining(file.toString());
    }

    @Test
    void version1FileGivesTheSameMetadataAndTensorsAsVersion3() throws IOException {
        Path v3 = Assets.stories260K().orElse(null);
        Assumptions.assumeTrue(v3 != null, "stories260K-f32.gguf not found in ../shared/models");
        Path v1 = v3.resolveSibling("stories260K-f32-v1.gguf");
        Assumptions.assumeTrue(Files.isRegularFile(v1), "stories260K-f32-v1.gguf not found in ../shared/models");
        try (GgufFile a = GgufFile.open(v1); GgufFile b = GgufFile.open(v3)) {
            assertThat(a.version()).isEqualTo(1);
            assertThat(b.version()).isEqualTo(3);
            assertThat(a.metadata()).containsExactlyEntriesOf(b.metadata());
            assertThat(a.tensors().keySet()).containsExactlyElementsOf(b.tensors().keySet()).hasSize(48);
            for (GgufTensorInfo t : b.tensors().values()) {
                assertThat(a.tensor(t.name()).dims()).containsExactly(t.dims());
                FloatArrays.assertSameBits(t.name(), a.readFloats(t.name()), b.readFloats(t.name()));
            }
            assertThat(a.getInt("llama.block_count")).isEqualTo(5);
            assertThat(a.getStringArray("tokenizer.ggml.tokens")).hasSize(512);
        }
    }

    @Test
    void metadataMapIsReadOnly() throws IOException {
        Path file = oneTensor("ro.gguf", new long[] {2}, GgmlType.F32.id, 0, 8);
        try (GgufFile g = GgufFile.open(file)) {
            assertThatThrownBy(() -> g.metadata().put("x", GgufValue.string("y"))).isInstanceOf(UnsupportedOperationException.class);
            assertThat(g.metadata()).isEqualTo(Map.of());
        }
    }
}
