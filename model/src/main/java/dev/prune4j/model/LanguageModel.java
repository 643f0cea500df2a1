package dev.prune4j.model;

import dev.prune4j.model.arch.Architecture;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.forward.Transformer;
import dev.prune4j.model.gguf.GgufFile;
import dev.prune4j.model.gguf.GgufTensorInfo;
import dev.prune4j.model.gguf.GgufValue;
import dev.prune4j.model.hf.HfModelLoader;
import dev.prune4j.model.load.GgufModelLoader;
import dev.prune4j.model.tokenizer.Tokenizer;
import dev.prune4j.model.tokenizer.Tokenizers;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.tensor.GgmlType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A loaded model: config, fp32 weights, tokenizer, and what the source file held. The entry point for every command
 * that needs a model.
 *
 * @param source         the file or directory it was loaded from
 * @param architecture   decoder family
 * @param config         hyper-parameters
 * @param weights        fp32 weights (mutable, for pruning)
 * @param tokenizer      the model's tokenizer
 * @param metadata       the GGUF metadata of the source (kept to write the model back with its vocabulary)
 * @param storedTypes    element count per storage type in the source file
 * @param sourceBytes    size of the source on disk
 */
public record LanguageModel(Path source, Architecture architecture, ModelConfig config, ModelWeights weights,
                            Tokenizer tokenizer, Map<String, GgufValue> metadata, Map<GgmlType, Long> storedTypes,
                            long sourceBytes) {

    /** Loads a GGUF file or a Hugging Face model directory; the error names the file and what is wrong with it. */
    public static LanguageModel load(Path path) throws IOException {
        if (!Files.exists(path)) throw new NoSuchFileException(path.toString(), null, "model not found");
        if (Files.isDirectory(path)) return loadHf(path);
        try (GgufFile file = GgufFile.open(path)) {
            GgufModelLoader loader = new GgufModelLoader(file);
            ModelWeights weights = loader.loadWeights();
            Tokenizer tokenizer = Tokenizers.fromGguf(file);
            Map<GgmlType, Long> types = new TreeMap<>();
            for (GgufTensorInfo t : file.tensors().values()) types.merge(t.type(), t.elementCount(), Long::sum);
            return new LanguageModel(path, loader.architecture(), loader.config(), weights, tokenizer,
                    Collections.unmodifiableMap(new LinkedHashMap<>(file.metadata())), types, Files.size(path));
        }
    }

    /** A Hugging Face directory: config.json, safetensors (single or sharded) and tokenizer.json. */
    private static LanguageModel loadHf(Path dir) throws IOException {
        Path tokenizerJson = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new NoSuchFileException(tokenizerJson.toString(), null, "the model directory has no tokenizer.json");
        }
        try (HfModelLoader loader = new HfModelLoader(dir)) {
            ModelWeights weights = loader.loadWeights();
            Tokenizer tokenizer = Tokenizers.fromTokenizerJson(tokenizerJson);
            long bytes;
            try (var files = Files.walk(dir)) {
                bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
            }
            Map<String, GgufValue> meta = Map.of("general.name", GgufValue.string(dir.getFileName().toString()));
            return new LanguageModel(dir, loader.architecture(), loader.config(), weights, tokenizer, meta,
                    new TreeMap<>(Map.of(GgmlType.F32, weights.parameterCount())), bytes);
        }
    }

    public Transformer transformer() {
        return new Transformer(config, weights);
    }

    /** The model's display name ({@code general.name}) or the file name. */
    public String name() {
        GgufValue v = metadata.get("general.name");
        return v != null ? (String) v.value() : source.getFileName().toString();
    }

    /** Token ids of a prompt, with BOS in front when the model wants it. */
    public int[] encodePrompt(String text) {
        int[] ids = tokenizer.encode(text);
        if (!tokenizer.addBos() || tokenizer.bos() < 0) return ids;
        int[] out = new int[ids.length + 1];
        out[0] = tokenizer.bos();
        System.arraycopy(ids, 0, out, 1, ids.length);
        return out;
    }
}
