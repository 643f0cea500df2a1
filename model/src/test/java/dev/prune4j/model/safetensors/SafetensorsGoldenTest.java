package dev.prune4j.model.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prune4j.model.FloatArrays;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our reader and writer against a file written by PyPI safetensors ({@code tools/fixtures/safetensors_golden.py}). */
class SafetensorsGoldenTest {
    static JsonNode golden;
    @TempDir Path dir;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = SafetensorsGoldenTest.class.getResourceAsStream("/safetensors/golden.json")) {
            golden = new ObjectMapper().readTree(in);
        }
    }

    static float[] hexFloats(String hex) {
        if (hex.isEmpty()) return new float[0];
        String[] parts = hex.split(" ");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(parts[i], 16));
        return out;
    }

    static long[] shape(JsonNode t) {
        long[] s = new long[t.get("shape").size()];
        for (int i = 0; i < s.length; i++) s[i] = t.get("shape").get(i).asLong();
        return s;
    }

    static Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        golden.get("metadata").properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    @Test
    void readsTheReferenceFile() throws IOException {
        Path file = dir.resolve("reference.safetensors");
        Files.write(file, HexFormat.of().parseHex(golden.get("file").asText()));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.metadata()).containsExactlyEntriesOf(metadata());
            assertThat(f.tensors()).hasSize(golden.get("tensors").size());
            for (JsonNode t : golden.get("tensors")) {
                String name = t.get("name").asText();
                SafetensorsTensorInfo info = f.tensor(name);
                assertThat(info.dtype().name()).isEqualTo(t.get("dtype").asText());
                assertThat(info.shape()).containsExactly(shape(t));
                FloatArrays.assertSameBits(name, f.readFloats(name), hexFloats(t.get("stored").asText()));
            }
        }
    }

    @Test
    void writesTheReferenceFileByteForByte() throws IOException {
        List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
        for (JsonNode t : golden.get("tensors")) {
            tensors.add(new SafetensorsWriter.Tensor(t.get("name").asText(), shape(t),
                    SafetensorsDtype.valueOf(t.get("dtype").asText()), hexFloats(t.get("inputs").asText())));
        }
        // Our own order differs from the reference file's; the writer must reorder as the reference does.
        tensors = tensors.reversed();
        Path file = dir.resolve("ours.safetensors");

        SafetensorsWriter.write(file, metadata(), tensors);

        assertThat(HexFormat.of().formatHex(Files.readAllBytes(file))).isEqualTo(golden.get("file").asText());
    }
}
