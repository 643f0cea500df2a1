package dev.prune4j.model.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prune4j.model.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights of a Hugging Face checkpoint: one {@code model.safetensors}, or shards listed by
 * {@code model.safetensors.index.json} ({@code weight_map}: tensor name to shard file). Tensors are looked up by
 * name across all shards.
 */
public final class SafetensorsCheckpoint implements AutoCloseable {
    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private final Path source;
    private final List<SafetensorsFile> shards;
    private final Map<String, SafetensorsFile> byTensor;

    private SafetensorsCheckpoint(Path source, List<SafetensorsFile> shards, Map<String, SafetensorsFile> byTensor) {
        this.source = source;
        this.shards = Collections.unmodifiableList(shards);
        this.byTensor = Collections.unmodifiableMap(byTensor);
    }

    /**
     * Opens a directory (its index file if present, else {@code model.safetensors}), an index file, or a single
     * {@code .safetensors} file.
     */
    public static SafetensorsCheckpoint open(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            Path index = path.resolve(INDEX_FILE);
            if (Files.isRegularFile(index)) return openIndex(index);
            Path single = path.resolve(SINGLE_FILE);
            if (!Files.isRegularFile(single)) {
                throw ModelFormatException.of(path, "no " + INDEX_FILE + " or " + SINGLE_FILE + " in this directory");
            }
            return openSingle(single);
        }
        return path.getFileName().toString().endsWith(".json") ? openIndex(path) : openSingle(path);
    }

    private static SafetensorsCheckpoint openSingle(Path file) throws IOException {
        SafetensorsFile f = SafetensorsFile.open(file);
        Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
        for (String name : f.tensors().keySet()) byTensor.put(name, f);
        return new SafetensorsCheckpoint(file, new ArrayList<>(List.of(f)), byTensor);
    }

    private static SafetensorsCheckpoint openIndex(Path index) throws IOException {
        Map<String, String> weightMap = weightMap(index);
        Map<String, SafetensorsFile> open = new LinkedHashMap<>();
        Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, String> e : weightMap.entrySet()) {
                Path shard = index.resolveSibling(e.getValue());
                if (!open.containsKey(e.getValue())) {
                    if (!Files.isRegularFile(shard)) {
                        throw ModelFormatException.of(index, "shard " + e.getValue() + " of tensor " + e.getKey() + " does not exist");
                    }
                    open.put(e.getValue(), SafetensorsFile.open(shard));
                }
                SafetensorsFile f = open.get(e.getValue());
                if (!f.tensors().containsKey(e.getKey())) {
                    throw ModelFormatException.of(index, "tensor " + e.getKey() + " is mapped to " + e.getValue() + " but that shard lacks it");
                }
                byTensor.put(e.getKey(), f);
            }
        } catch (IOException | RuntimeException e) {
            open.values().forEach(SafetensorsFile::close);
            throw e;
        }
        return new SafetensorsCheckpoint(index, new ArrayList<>(open.values()), byTensor);
    }

    private static Map<String, String> weightMap(Path index) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(index.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ModelFormatException.of(index, "not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject()) throw ModelFormatException.of(index, "no weight_map object");
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            String file = e.getValue().asText();
            // A shard must sit beside the index; a path that climbs out of the directory is refused.
            if (!e.getValue().isTextual() || file.isEmpty() || file.contains("/") || file.contains("\\")) {
                throw ModelFormatException.of(index, "weight_map entry " + e.getKey() + " must name a file beside the index, found " + e.getValue());
            }
            out.put(e.getKey(), file);
        }
        return out;
    }

    /** The file or index this checkpoint was opened from. */
    public Path source() { return source; }

    /** The open shard files, in the order the index first names them. */
    public List<SafetensorsFile> shards() { return shards; }

    /** The {@code __metadata__} of the first shard (HF writes the same one, {@code format: pt}, into every shard). */
    public Map<String, String> metadata() { return shards.isEmpty() ? Map.of() : shards.getFirst().metadata(); }

    /** All tensor names, in index (or header) order. */
    public List<String> tensorNames() { return List.copyOf(byTensor.keySet()); }

    public SafetensorsTensorInfo tensor(String name) { return file(name).tensor(name); }

    /** The shard holding {@code name}. */
    public SafetensorsFile file(String name) {
        SafetensorsFile f = byTensor.get(name);
        if (f == null) throw ModelFormatException.of(source, "missing tensor " + name);
        return f;
    }

    /** An F32, F16 or BF16 tensor widened to fp32, row-major. */
    public float[] readFloats(String name) { return file(name).readFloats(name); }

    @Override
    public void close() {
        shards.forEach(SafetensorsFile::close);
    }
}
