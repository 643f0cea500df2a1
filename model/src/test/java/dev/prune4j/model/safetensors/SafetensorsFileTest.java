package dev.prune4j.model.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prune4j.model.ModelFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader on hand-made files, good and bad; every error names the file. */
class SafetensorsFileTest {
    @TempDir Path dir;

    Path craft(String name, long headerLength, String json, int dataBytes) throws IOException {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(header);
        Path file = dir.resolve(name);
        Files.write(file, b.array());
        return file;
    }

    Path craft(String name, String json, int dataBytes) throws IOException {
        return craft(name, json.getBytes(StandardCharsets.UTF_8).length, json, dataBytes);
    }

    static AbstractThrowableAssert<?, ? extends Throwable> assertOpenFails(Path file) {
        return assertThatThrownBy(() -> SafetensorsFile.open(file).close())
                .isInstanceOf(ModelFormatException.class)
                .hasMessageStartingWith(file + ": ");
    }

    static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    @Test
    void readsAHandMadeFileWithPaddingAndNonFloatTensors() throws IOException {
        String json = "{" + entry("w", "F32", "[2,2]", 0, 16) + "," + entry("ids", "I64", "[2]", 16, 32) + "}   ";
        Path file = craft("ok.safetensors", json, 32);
        ByteBuffer data = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(-2).putFloat(3).putFloat(0.5f);
        byte[] all = Files.readAllBytes(file);
        System.arraycopy(data.array(), 0, all, all.length - 32, 16);
        Files.write(file, all);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.metadata()).isEmpty();
            assertThat(f.tensors().keySet()).containsExactly("w", "ids");
            assertThat(f.readFloats("w")).containsExactly(1, -2, 3, 0.5f);
            assertThat(f.tensor("ids").dtype()).isEqualTo(SafetensorsDtype.I64);
            assertThat(f.data(f.tensor("ids")).byteSize()).isEqualTo(16);
            assertThatThrownBy(() -> f.readFloats("ids")).hasMessage(file + ": tensor ids has dtype I64; only F32, F16 and BF16 are read as floats");
            assertThatThrownBy(() -> f.tensor("lm_head.weight")).hasMessage(file + ": missing tensor lm_head.weight");
        }
    }

    @Test
    void truncatedFilesAreRefused() throws IOException {
        Path good = dir.resolve("good.safetensors");
        SafetensorsWriter.write(good, Map.of("format", "pt"), SafetensorsWriterTest.sample());
        byte[] bytes = Files.readAllBytes(good);
        for (int cut : new int[] {0, 7, 8, 50, 200, bytes.length - 1}) {
            Path file = dir.resolve("cut" + cut + ".safetensors");
            Files.write(file, Arrays.copyOf(bytes, cut));
            var failure = assertOpenFails(file);
            if (cut < 8) failure.hasMessageContaining("too short");
            else if (cut < bytes.length - 4000) failure.hasMessageContaining("truncated: the header needs");
            else failure.hasMessageContaining("outside the data section").hasMessageContaining("truncated file?");
        }
    }

    @Test
    void headerLengthsBeyondTheLimitOrTheFileAreRefused() throws IOException {
        assertOpenFails(craft("long.safetensors", 1L << 40, "{}", 0)).hasMessageContaining("exceeds the limit of 100000000 bytes");
        assertOpenFails(craft("negative.safetensors", -2L, "{}", 0)).hasMessageContaining("18446744073709551614 exceeds the limit");
        assertOpenFails(craft("past.safetensors", 64, "{}", 0)).hasMessageContaining("the header needs 64 bytes");
    }

    @Test
    void malformedHeadersAreRefused() throws IOException {
        assertOpenFails(craft("json.safetensors", "{\"w\":{\"dtype\":", 0)).hasMessageContaining("not valid JSON");
        assertOpenFails(craft("array.safetensors", "[1,2]", 0)).hasMessageContaining("not a JSON object");
        assertOpenFails(craft("dup.safetensors", "{" + entry("w", "F32", "[1]", 0, 4) + "," + entry("w", "F32", "[1]", 4, 8) + "}", 8))
                .hasMessageContaining("Duplicate field 'w'");
        assertOpenFails(craft("meta.safetensors", "{\"__metadata__\":{\"format\":1}}", 0))
                .hasMessageContaining("__metadata__.format must be a string");
        assertOpenFails(craft("shape.safetensors", "{" + entry("w", "F32", "[-1]", 0, 4) + "}", 4))
                .hasMessageContaining("tensor w: shape must hold non-negative integers");
        assertOpenFails(craft("noshape.safetensors", "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4))
                .hasMessageContaining("tensor w: shape must be an array");
    }

    @Test
    void unknownDtypesAreRefusedWithTheTensorName() throws IOException {
        assertOpenFails(craft("dtype.safetensors", "{" + entry("model.norm.weight", "Q4_0", "[32]", 0, 18) + "}", 18))
                .hasMessageContaining("tensor model.norm.weight: unknown dtype \"Q4_0\"");
    }

    @Test
    void offsetsOutOfRangeOrInconsistentAreRefused() throws IOException {
        assertOpenFails(craft("past.safetensors", "{" + entry("w", "F32", "[4]", 0, 16) + "}", 12))
                .hasMessageContaining("tensor w: data_offsets [0, 16] outside the data section of 12 bytes");
        assertOpenFails(craft("reversed.safetensors", "{" + entry("w", "F32", "[0]", 8, 4) + "}", 12))
                .hasMessageContaining("tensor w: data_offsets [8, 4] outside");
        assertOpenFails(craft("size.safetensors", "{" + entry("w", "F16", "[4]", 0, 16) + "}", 16))
                .hasMessageContaining("tensor w: data_offsets [0, 16] hold 16 bytes but shape [4] of F16 needs 8");
        assertOpenFails(craft("overlap.safetensors", "{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 4, 12) + "}", 12))
                .hasMessageContaining("tensors a and b overlap");
        assertOpenFails(craft("huge.safetensors", "{" + entry("w", "F32", "[4611686018427387904,4]", 0, 16) + "}", 16))
                .hasMessageContaining("implausible shape");
    }

    @Test
    void aMissingFileSaysSo() {
        Path file = dir.resolve("absent.safetensors");
        assertThatThrownBy(() -> SafetensorsFile.open(file)).isInstanceOf(NoSuchFileException.class).hasMessageContaining(file.toString());
    }

    @Test
    void checkpointIndexErrorsNameTheIndexAndTensor() throws IOException {
        Path shard = dir.resolve("model-00001-of-00001.safetensors");
        SafetensorsWriter.write(shard, Map.of(), List.of(SafetensorsWriterTest.sample().get(3)));
        Path index = dir.resolve(SafetensorsCheckpoint.INDEX_FILE);

        Files.writeString(index, "{\"weight_map\":{\"model.norm.weight\":\"model-00002-of-00002.safetensors\"}}");
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(dir)).isInstanceOf(ModelFormatException.class)
                .hasMessage(index + ": shard model-00002-of-00002.safetensors of tensor model.norm.weight does not exist");

        Files.writeString(index, "{\"weight_map\":{\"model.norm.weight\":\"model-00001-of-00001.safetensors\"}}");
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(index))
                .hasMessage(index + ": tensor model.norm.weight is mapped to model-00001-of-00001.safetensors but that shard lacks it");

        Files.writeString(index, "{\"weight_map\":{\"x\":\"../elsewhere.safetensors\"}}");
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(index)).hasMessageContaining("must name a file beside the index");

        Files.writeString(index, "{\"metadata\":{}}");
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(index)).hasMessage(index + ": no weight_map object");

        Files.writeString(index, "{\"weight_map\":{\"model.layers.0.input_layernorm.weight\":\"model-00001-of-00001.safetensors\"}}");
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(dir)) {
            assertThat(c.tensorNames()).containsExactly("model.layers.0.input_layernorm.weight");
            assertThatThrownBy(() -> c.readFloats("model.norm.weight")).hasMessage(index + ": missing tensor model.norm.weight");
        }
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThatThrownBy(() -> SafetensorsCheckpoint.open(empty)).hasMessageContaining("no model.safetensors.index.json or model.safetensors");
    }
}
