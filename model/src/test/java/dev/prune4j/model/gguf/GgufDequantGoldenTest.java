package dev.prune4j.model.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prune4j.model.Assets;
import dev.prune4j.model.FloatArrays;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our dequantization of real SmolLM2 (Q8_0, Q4_1) and Gemma-3 (Q8_0, Q5_0, Q4_K, Q6_K) tensors against gguf-py's,
 * from the fixture written by {@code tools/fixtures/dequant_golden.py}: whole-tensor SHA-256 and two slices, bit for bit.
 */
@Tag("assets")
class GgufDequantGoldenTest {
    record Case(String file, JsonNode tensor) {
        @Override
        public String toString() {
            return file + " " + tensor.get("name").asText() + " " + tensor.get("type").asText();
        }
    }

    static Stream<Case> cases() throws IOException {
        List<Case> out = new ArrayList<>();
        try (InputStream in = GgufDequantGoldenTest.class.getResourceAsStream("/gguf/dequant_golden.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            for (JsonNode f : root.get("files")) {
                for (JsonNode t : f.get("tensors")) out.add(new Case(f.get("file").asText(), t));
            }
        }
        return out.stream();
    }

    static Path model(String file) {
        Path p = Assets.model(file);
        Assumptions.assumeTrue(Files.isRegularFile(p), file + " not fetched into " + p.getParent() + " (scripts/fetch-assets.sh)");
        return p;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesGgufPyBitForBit(Case c) throws IOException, NoSuchAlgorithmException {
        String name = c.tensor().get("name").asText();
        try (GgufFile g = GgufFile.open(model(c.file()))) {
            assertThat(g.tensor(name).type().name()).isEqualTo(c.tensor().get("type").asText());
            float[] values = g.readFloats(name);
            assertThat(values).hasSize(c.tensor().get("elements").asInt());
            for (JsonNode slice : c.tensor().get("slices")) {
                int offset = slice.get("offset").asInt();
                float[] expected = hexFloats(slice.get("floats").asText());
                FloatArrays.assertSameBits(name + " from " + offset, Arrays.copyOfRange(values, offset, offset + expected.length), expected);
            }
            assertThat(sha256(values)).as("SHA-256 of all of %s as float32", name).isEqualTo(c.tensor().get("sha256").asText());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Assets.SMOLLM2_Q4_1, Assets.GEMMA3_Q4_K_M})
    void everyTensorDecodesToFiniteValues(String file) throws IOException {
        try (GgufFile g = GgufFile.open(model(file))) {
            long elements = 0;
            long start = System.nanoTime();
            for (GgufTensorInfo t : g.tensors().values()) {
                float[] values = g.readFloats(t.name());
                for (float v : values) {
                    if (!Float.isFinite(v)) throw new AssertionError(t + " decodes to " + v);
                }
                elements += values.length;
            }
            System.out.printf("%s: %d tensors, %d elements decoded and checked in %.2f s%n",
                    file, g.tensors().size(), elements, (System.nanoTime() - start) / 1e9);
            assertThat(elements).isGreaterThan(100_000_000L);
        }
    }

    static float[] hexFloats(String hex) {
        String[] parts = hex.split(" ");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(parts[i], 16));
        return out;
    }

    static String sha256(float[] values) throws NoSuchAlgorithmException {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
    }
}
