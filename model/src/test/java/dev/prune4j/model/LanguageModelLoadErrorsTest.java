package dev.prune4j.model;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.prune4j.model.gguf.GgufFile;
import dev.prune4j.model.gguf.GgufTensorInfo;
import dev.prune4j.model.gguf.GgufValue;
import dev.prune4j.model.gguf.GgufWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading refuses broken models with a message that names the file and the tensor or key. */
class LanguageModelLoadErrorsTest {
    @TempDir Path dir;

    /** stories260K rewritten with its metadata and tensor list edited. */
    private Path edited(UnaryOperator<Map<String, GgufValue>> meta, UnaryOperator<List<GgufWriter.Tensor>> tensors) throws Exception {
        Path src = Assets.stories260K().orElse(null);
        assumeTrue(src != null, "../shared/models/stories260K-f32.gguf is absent (not a developer or CI machine)");
        Path out = dir.resolve("edited.gguf");
        try (GgufFile f = GgufFile.open(src)) {
            List<GgufWriter.Tensor> ts = new ArrayList<>();
            for (GgufTensorInfo t : f.tensors().values()) ts.add(new GgufWriter.Tensor(t.name(), t.dims(), t.type(), f.readFloats(t.name())));
            GgufWriter.write(out, meta.apply(new LinkedHashMap<>(f.metadata())), tensors.apply(ts));
        }
        return out;
    }

    @Test
    void shapeMismatchNamesFileAndTensor() throws Exception {
        Path p = edited(m -> m, ts -> {
            ts.replaceAll(t -> t.name().equals("blk.2.attn_k.weight")
                    ? new GgufWriter.Tensor(t.name(), new long[] {32, 64}, t.type(), t.data()) : t); // transposed
            return ts;
        });
        assertThatThrownBy(() -> LanguageModel.load(p)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(p.toString()).hasMessageContaining("blk.2.attn_k.weight").hasMessageContaining("expected [64, 32]");
    }

    @Test
    void missingTensorNamesFileAndTensor() throws Exception {
        Path p = edited(m -> m, ts -> {
            ts.removeIf(t -> t.name().equals("blk.4.ffn_down.weight"));
            return ts;
        });
        assertThatThrownBy(() -> LanguageModel.load(p)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(p.toString()).hasMessageContaining("missing tensor blk.4.ffn_down.weight");
    }

    @Test
    void unknownArchitectureIsRefusedByName() throws Exception {
        Path p = edited(m -> {
            m.put("general.architecture", GgufValue.string("mamba"));
            return m;
        }, ts -> ts);
        assertThatThrownBy(() -> LanguageModel.load(p)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("unsupported architecture \"mamba\"").hasMessageContaining("llama");
    }

    @Test
    void missingRequiredKeyIsNamed() throws Exception {
        Path p = edited(m -> {
            m.remove("llama.embedding_length");
            return m;
        }, ts -> ts);
        assertThatThrownBy(() -> LanguageModel.load(p)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("missing metadata key llama.embedding_length");
    }

    @Test
    void missingFileAndDirectoryWithoutTokenizer() throws Exception {
        assertThatThrownBy(() -> LanguageModel.load(dir.resolve("nope.gguf"))).isInstanceOf(NoSuchFileException.class);
        Files.writeString(dir.resolve("config.json"), "{}");
        assertThatThrownBy(() -> LanguageModel.load(dir)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("tokenizer.json");
    }
}
