package dev.prune4j.model.safetensors;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.prune4j.model.AtomicFiles;
import dev.prune4j.model.TensorDataWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes safetensors files (F32, F16, BF16 from fp32 arrays) and Hugging Face checkpoints sharded by size with their
 * {@code model.safetensors.index.json}. Output is written under temporary names and renamed into place, so a failure
 * never leaves a half-written checkpoint where a good one is expected.
 */
public final class SafetensorsWriter {
    /**
     * One tensor to write.
     *
     * @param shape PyTorch order, outermost first ({@code [out, in]} for a linear weight); empty for a scalar
     * @param dtype F32, F16 or BF16
     * @param data  the values, row-major (last dimension contiguous); length = product of shape
     */
    public record Tensor(String name, long[] shape, SafetensorsDtype dtype, float[] data) {
        long byteSize() {
            return (long) data.length * dtype.size;
        }
    }

    private static final Pattern SHARD_NAME = Pattern.compile("model-\\d{5}-of-\\d{5}\\.safetensors");

    private SafetensorsWriter() {}

    /**
     * Writes one file. Tensors are laid out as the reference implementation lays them out (wider dtypes first, then by
     * name), which keeps every tensor naturally aligned and makes our files byte-identical to PyPI safetensors' output.
     */
    public static void write(Path file, Map<String, String> metadata, List<Tensor> tensors) throws IOException {
        checkTensors(file, tensors);
        Path tmp = AtomicFiles.newTempFile(file);
        try {
            writeFile(tmp, metadata, tensors);
            AtomicFiles.moveIntoPlace(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Writes {@code model.safetensors} into {@code dir} (created if needed), or, when the tensors exceed
     * {@code maxShardBytes}, shards {@code model-00001-of-0000N.safetensors} filled in list order plus
     * {@code model.safetensors.index.json}, as {@code save_pretrained} does. A tensor larger than the limit gets a shard
     * of its own. Stale weight files of the other layout are removed. Returns the files written.
     */
    public static List<Path> writeCheckpoint(Path dir, Map<String, String> metadata, List<Tensor> tensors, long maxShardBytes)
            throws IOException {
        if (maxShardBytes <= 0) throw new IllegalArgumentException("maxShardBytes must be positive: " + maxShardBytes);
        checkTensors(dir, tensors);
        List<List<Tensor>> shards = shard(tensors, maxShardBytes);
        Map<String, List<Tensor>> files = new LinkedHashMap<>();
        if (shards.size() == 1) {
            files.put(SafetensorsCheckpoint.SINGLE_FILE, shards.getFirst());
        } else {
            for (int i = 0; i < shards.size(); i++) {
                files.put(String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size()), shards.get(i));
            }
        }
        Path tmpDir = AtomicFiles.newTempDirectory(dir);
        try {
            for (Map.Entry<String, List<Tensor>> f : files.entrySet()) writeFile(tmpDir.resolve(f.getKey()), metadata, f.getValue());
            if (shards.size() > 1) Files.write(tmpDir.resolve(SafetensorsCheckpoint.INDEX_FILE), index(files));
            return moveIntoDirectory(tmpDir, dir, files.keySet(), shards.size() > 1);
        } finally {
            AtomicFiles.deleteRecursively(tmpDir);
        }
    }

    private static List<List<Tensor>> shard(List<Tensor> tensors, long maxShardBytes) {
        List<List<Tensor>> shards = new ArrayList<>();
        List<Tensor> current = new ArrayList<>();
        long size = 0;
        for (Tensor t : tensors) {
            if (!current.isEmpty() && size + t.byteSize() > maxShardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(t);
            size += t.byteSize();
        }
        shards.add(current);
        return shards;
    }

    /** Moves the shards in first and the index (or the single file) last, then deletes stale weight files. */
    private static List<Path> moveIntoDirectory(Path tmpDir, Path dir, Set<String> names, boolean sharded) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (String name : names) {
            written.add(dir.resolve(name));
            AtomicFiles.moveIntoPlace(tmpDir.resolve(name), dir.resolve(name));
        }
        if (sharded) {
            written.add(dir.resolve(SafetensorsCheckpoint.INDEX_FILE));
            AtomicFiles.moveIntoPlace(tmpDir.resolve(SafetensorsCheckpoint.INDEX_FILE), dir.resolve(SafetensorsCheckpoint.INDEX_FILE));
        }
        Set<String> keep = new HashSet<>(names);
        if (sharded) keep.add(SafetensorsCheckpoint.INDEX_FILE);
        try (Stream<Path> existing = Files.list(dir)) {
            for (Path p : existing.toList()) {
                String n = p.getFileName().toString();
                boolean weights = n.equals(SafetensorsCheckpoint.SINGLE_FILE) || n.equals(SafetensorsCheckpoint.INDEX_FILE)
                        || SHARD_NAME.matcher(n).matches();
                if (weights && !keep.contains(n)) Files.delete(p);
            }
        }
        return written;
    }

    private static byte[] index(Map<String, List<Tensor>> files) throws IOException {
        long total = 0;
        Map<String, String> weightMap = new TreeMap<>();
        for (Map.Entry<String, List<Tensor>> f : files.entrySet()) {
            for (Tensor t : f.getValue()) {
                weightMap.put(t.name(), f.getKey());
                total += t.byteSize();
            }
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("metadata", Map.of("total_size", total));
        root.put("weight_map", weightMap);
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(root);
    }

    private static void writeFile(Path file, Map<String, String> metadata, List<Tensor> tensors) throws IOException {
        List<Tensor> ordered = new ArrayList<>(tensors);
        ordered.sort(Comparator.comparingInt((Tensor t) -> dtypeRank(t.dtype()))
                .thenComparing((a, b) -> Arrays.compareUnsigned(utf8(a.name()), utf8(b.name()))));
        byte[] header = header(metadata, ordered);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.CREATE)) {
            TensorDataWriter out = new TensorDataWriter(ch);
            out.writeFully(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length));
            out.writeFully(ByteBuffer.wrap(header));
            for (Tensor t : ordered) out.write(t.dtype().storage(), t.data());
            ch.force(true);
        }
    }

    /** The reference implementation orders by its dtype enum, descending: F32, then BF16, then F16. */
    private static int dtypeRank(SafetensorsDtype d) {
        return switch (d) {
            case F32 -> 0;
            case BF16 -> 1;
            default -> 2;
        };
    }

    /** Compact JSON, {@code __metadata__} first, padded with spaces to a multiple of 8 bytes so the data is aligned. */
    private static byte[] header(Map<String, String> metadata, List<Tensor> ordered) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = new ObjectMapper().getFactory().createGenerator(bytes, JsonEncoding.UTF8)) {
            g.writeStartObject();
            if (!metadata.isEmpty()) {
                g.writeObjectFieldStart(SafetensorsHeader.METADATA_KEY);
                for (Map.Entry<String, String> e : metadata.entrySet()) g.writeStringField(e.getKey(), e.getValue());
                g.writeEndObject();
            }
            long offset = 0;
            for (Tensor t : ordered) {
                g.writeObjectFieldStart(t.name());
                g.writeStringField("dtype", t.dtype().name());
                g.writeArrayFieldStart("shape");
                for (long d : t.shape()) g.writeNumber(d);
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(offset);
                g.writeNumber(offset + t.byteSize());
                g.writeEndArray();
                g.writeEndObject();
                offset += t.byteSize();
            }
            g.writeEndObject();
        }
        while (bytes.size() % 8 != 0) bytes.write(' ');
        return bytes.toByteArray();
    }

    private static void checkTensors(Path target, List<Tensor> tensors) {
        Set<String> names = new HashSet<>();
        for (Tensor t : tensors) {
            String what = target + ": tensor " + t.name() + ": ";
            if (t.name() == null || t.name().isEmpty() || t.name().equals(SafetensorsHeader.METADATA_KEY)) {
                throw new IllegalArgumentException(target + ": invalid tensor name " + t.name());
            }
            if (!names.add(t.name())) throw new IllegalArgumentException(what + "written twice");
            if (t.dtype() == null || t.dtype().storage() == null) {
                throw new IllegalArgumentException(what + "dtype " + t.dtype() + " cannot be written (F32, F16 and BF16 can)");
            }
            if (t.shape() == null) throw new IllegalArgumentException(what + "no shape");
            long n = 1;
            for (long d : t.shape()) {
                if (d < 0) throw new IllegalArgumentException(what + "negative dimension in " + Arrays.toString(t.shape()));
                n = Math.multiplyExact(n, d);
            }
            if (t.data() == null || t.data().length != n) {
                throw new IllegalArgumentException(what + "shape " + Arrays.toString(t.shape()) + " holds " + n
                        + " values but the data has " + (t.data() == null ? "none" : t.data().length));
            }
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
