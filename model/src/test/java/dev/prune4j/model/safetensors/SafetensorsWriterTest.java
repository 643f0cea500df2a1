package dev.prune4j.model.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prune4j.model.FloatArrays;
import dev.prune4j.tensor.quant.Encode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {
    @TempDir Path dir;

    static float[] randomFloats(long seed, int n) {
        Random rnd = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextGaussian();
        return a;
    }

    static float stored(SafetensorsDtype dtype, float x) {
        return switch (dtype) {
            case F16 -> Float.float16ToFloat(Float.floatToFloat16(x));
            case BF16 -> Float.intBitsToFloat(Encode.toBf16(x) << 16);
            default -> x;
        };
    }

    /** Six tensors of 96 to 4000 bytes in the three dtypes. */
    static List<SafetensorsWriter.Tensor> sample() {
        return List.of(
                new SafetensorsWriter.Tensor("model.embed_tokens.weight", new long[] {50, 20}, SafetensorsDtype.BF16, randomFloats(1, 1000)),
                new SafetensorsWriter.Tensor("model.layers.0.self_attn.q_proj.weight", new long[] {20, 20}, SafetensorsDtype.F32, randomFloats(2, 400)),
                new SafetensorsWriter.Tensor("model.layers.0.mlp.up_proj.weight", new long[] {30, 20}, SafetensorsDtype.F16, randomFloats(3, 600)),
                new SafetensorsWriter.Tensor("model.layers.0.input_layernorm.weight", new long[] {20}, SafetensorsDtype.F32, randomFloats(4, 20)),
                new SafetensorsWriter.Tensor("model.layers.1.mlp.down_proj.weight", new long[] {20, 30}, SafetensorsDtype.F16, randomFloats(5, 600)),
                new SafetensorsWriter.Tensor("model.norm.weight", new long[] {2, 3, 4}, SafetensorsDtype.BF16, randomFloats(6, 24)));
    }

    static void assertHolds(SafetensorsCheckpoint c, List<SafetensorsWriter.Tensor> tensors) {
        assertThat(c.tensorNames()).containsExactlyInAnyOrderElementsOf(tensors.stream().map(SafetensorsWriter.Tensor::name).toList());
        for (SafetensorsWriter.Tensor t : tensors) {
            SafetensorsTensorInfo info = c.tensor(t.name());
            assertThat(info.dtype()).isEqualTo(t.dtype());
            assertThat(info.shape()).containsExactly(t.shape());
            float[] expected = t.data().clone();
            for (int i = 0; i < expected.length; i++) expected[i] = stored(t.dtype(), expected[i]);
            FloatArrays.assertSameBits(t.name(), c.readFloats(t.name()), expected);
        }
    }

    @Test
    void roundTripsASingleFile() throws IOException {
        Path file = dir.resolve("m.safetensors");
        Map<String, String> meta = Map.of("format", "pt");
        SafetensorsWriter.write(file, meta, sample());

        assertThat(Files.size(file) % 8).isZero(); // header padded to 8 and every tensor a whole number of words here
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.metadata()).isEqualTo(meta);
            // Reference layout: F32 first, then BF16, then F16, each group by name; offsets contiguous from 0.
            assertThat(f.tensors().keySet()).containsExactly("model.layers.0.input_layernorm.weight",
                    "model.layers.0.self_attn.q_proj.weight", "model.embed_tokens.weight", "model.norm.weight",
                    "model.layers.0.mlp.up_proj.weight", "model.layers.1.mlp.down_proj.weight");
            long end = 0;
            for (SafetensorsTensorInfo t : f.tensors().values()) {
                assertThat(t.begin()).isEqualTo(end);
                end = t.end();
            }
        }
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(file)) {
            assertHolds(c, sample());
        }
    }

    @Test
    void shardsBySizeWithAnIndex() throws IOException {
        Path out = dir.resolve("export");
        // Sizes in list order: 2000, 1600, 1200, 80, 1200, 48 bytes; at most 3000 per shard.
        List<Path> written = SafetensorsWriter.writeCheckpoint(out, Map.of("format", "pt"), sample(), 3000);

        assertThat(written).extracting(p -> p.getFileName().toString()).containsExactly(
                "model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
                "model-00003-of-00003.safetensors", SafetensorsCheckpoint.INDEX_FILE);
        JsonNode index = new ObjectMapper().readTree(out.resolve(SafetensorsCheckpoint.INDEX_FILE).toFile());
        assertThat(index.get("metadata").get("total_size").asLong()).isEqualTo(2000 + 1600 + 1200 + 80 + 1200 + 48);
        assertThat(index.get("weight_map").get("model.embed_tokens.weight").asText()).isEqualTo("model-00001-of-00003.safetensors");
        assertThat(index.get("weight_map").get("model.layers.0.self_attn.q_proj.weight").asText()).isEqualTo("model-00002-of-00003.safetensors");
        assertThat(index.get("weight_map").get("model.layers.0.mlp.up_proj.weight").asText()).isEqualTo("model-00002-of-00003.safetensors");
        assertThat(index.get("weight_map").get("model.norm.weight").asText()).isEqualTo("model-00003-of-00003.safetensors");

        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(out)) {
            assertThat(c.shards()).hasSize(3);
            assertThat(c.metadata()).containsEntry("format", "pt");
            assertHolds(c, sample());
        }
        try (Stream<Path> siblings = Files.list(dir)) {
            assertThat(siblings).containsExactly(out); // the temporary directory is gone
        }
    }

    @Test
    void aTensorLargerThanTheLimitGetsItsOwnShardAndASmallCheckpointOneFile() throws IOException {
        Path out = dir.resolve("big");
        SafetensorsWriter.writeCheckpoint(out, Map.of(), sample(), 100);
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(out)) {
            // 2000, 1600, 1200, 80+... : only the two small tail tensors (1200 then 48) cannot share; 80 and 1200 neither.
            assertThat(c.shards()).hasSize(6);
            assertHolds(c, sample());
        }
        Path small = dir.resolve("small");
        List<Path> written = SafetensorsWriter.writeCheckpoint(small, Map.of(), sample(), 1L << 30);
        assertThat(written).containsExactly(small.resolve(SafetensorsCheckpoint.SINGLE_FILE));
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(small)) {
            assertHolds(c, sample());
        }
    }

    @Test
    void rewritingRemovesStaleWeightsOfTheOtherLayoutAndKeepsOtherFiles() throws IOException {
        Path out = dir.resolve("model");
        Files.createDirectories(out);
        Files.writeString(out.resolve("config.json"), "{}");
        SafetensorsWriter.writeCheckpoint(out, Map.of(), sample(), 3000);
        List<SafetensorsWriter.Tensor> fewer = sample().subList(3, 6);

        SafetensorsWriter.writeCheckpoint(out, Map.of(), fewer, 1L << 30);
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("config.json", SafetensorsCheckpoint.SINGLE_FILE);
        }
        SafetensorsWriter.writeCheckpoint(out, Map.of(), sample(), 3000);
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("config.json",
                    SafetensorsCheckpoint.INDEX_FILE, "model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
                    "model-00003-of-00003.safetensors");
        }
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(out)) {
            assertHolds(c, sample());
        }
    }

    @Test
    void aFailedWriteLeavesTheExistingFileAndNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("m.safetensors");
        SafetensorsWriter.write(file, Map.of(), sample());
        byte[] good = Files.readAllBytes(file);
        List<SafetensorsWriter.Tensor> bad = List.of(new SafetensorsWriter.Tensor("model.norm.weight", new long[] {2, 3}, SafetensorsDtype.F32, new float[5]));

        assertThatThrownBy(() -> SafetensorsWriter.write(file, Map.of(), bad))
                .hasMessageContaining(file.toString()).hasMessageContaining("tensor model.norm.weight: shape [2, 3] holds 6 values but the data has 5");
        assertThatThrownBy(() -> SafetensorsWriter.writeCheckpoint(dir.resolve("ckpt"), Map.of(), bad, 1000))
                .hasMessageContaining("model.norm.weight");
        assertThatThrownBy(() -> SafetensorsWriter.write(file, Map.of(), List.of(
                new SafetensorsWriter.Tensor("ids", new long[] {2}, SafetensorsDtype.I64, new float[2]))))
                .hasMessageContaining("tensor ids: dtype I64 cannot be written");
        assertThatThrownBy(() -> SafetensorsWriter.write(file, Map.of(), List.of(sample().get(0), sample().get(0))))
                .hasMessageContaining("written twice");

        assertThat(Files.readAllBytes(file)).isEqualTo(good);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }
}
