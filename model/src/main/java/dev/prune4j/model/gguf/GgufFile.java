package dev.prune4j.model.gguf;

import dev.prune4j.model.ModelFormatException;
import dev.prune4j.tensor.GgmlType;
import dev.prune4j.tensor.quant.Dequantize;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A GGUF file (versions 1, 2 and 3, little-endian), memory-mapped: metadata and tensor infos are parsed eagerly,
 * tensor data is read from the mapping on demand and never copied twice.
 */
public final class GgufFile implements AutoCloseable {
    /** "GGUF" read as a little-endian uint32. */
    static final int MAGIC = 0x46554747;
    /** Default alignment of the tensor data section when {@code general.alignment} is absent. */
    public static final int DEFAULT_ALIGNMENT = 32;

    private final Path path;
    private final int version;
    private final Map<String, GgufValue> metadata;
    private final Map<String, GgufTensorInfo> tensors;
    private final long dataStart;
    private final Arena arena;
    private final MemorySegment mapping;

    private GgufFile(Path path, int version, Map<String, GgufValue> metadata, Map<String, GgufTensorInfo> tensors,
                     long dataStart, Arena arena, MemorySegment mapping) {
        this.path = path;
        this.version = version;
        this.metadata = Collections.unmodifiableMap(metadata);
        this.tensors = Collections.unmodifiableMap(tensors);
        this.dataStart = dataStart;
        this.arena = arena;
        this.mapping = mapping;
    }

    /** Opens and parses {@code path}; errors name the file and what was wrong with it. */
    public static GgufFile open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return parse(path, seg, arena);
        } catch (NoSuchFileException e) {
            arena.close();
            throw new NoSuchFileException(path.toString(), null, "model file not found");
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static GgufFile parse(Path path, MemorySegment seg, Arena arena) {
        GgufCursor in = new GgufCursor(path, seg);
        if (seg.byteSize() < 8) throw ModelFormatException.of(path, "too short to be a GGUF file (" + seg.byteSize() + " bytes)");
        int magic = in.i32();
        if (magic != MAGIC) {
            throw ModelFormatException.of(path, String.format("not a GGUF file: magic 0x%08x, expected 0x%08x (\"GGUF\")", magic, MAGIC));
        }
        int version = in.i32();
        if (version < 1 || version > 3) throw ModelFormatException.of(path, "unsupported GGUF version " + version + " (1, 2 and 3 are read)");
        in.setVersion(version);
        long tensorCount = in.count();
        long kvCount = in.count();
        Map<String, GgufValue> meta = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = in.string();
            GgufValueType type = GgufValueType.fromId(in.i32());
            meta.put(key, in.value(type, key));
        }
        Map<String, GgufTensorInfo> infos = new LinkedHashMap<>();
        for (long i = 0; i < tensorCount; i++) {
            String name = in.string();
            int nDims = in.i32();
            if (nDims < 1 || nDims > 4) throw ModelFormatException.of(path, "tensor " + name + ": " + nDims + " dimensions (1 to 4 allowed)");
            long[] dims = new long[nDims];
            for (int d = 0; d < nDims; d++) dims[d] = in.count();
            int typeId = in.i32();
            GgmlType type;
            try {
                type = GgmlType.fromId(typeId);
            } catch (IllegalArgumentException e) {
                throw ModelFormatException.of(path, "tensor " + name + ": unsupported ggml type id " + typeId);
            }
            long offset = in.u64();
            infos.put(name, new GgufTensorInfo(name, dims, type, offset));
        }
        long alignment = DEFAULT_ALIGNMENT;
        GgufValue a = meta.get("general.alignment");
        if (a != null) alignment = ((Number) a.value()).longValue();
        long dataStart = (in.position() + alignment - 1) / alignment * alignment;
        for (GgufTensorInfo t : infos.values()) {
            long end = dataStart + t.offset() + t.byteSize();
            if (end > seg.byteSize()) {
                throw ModelFormatException.of(path, "tensor " + t.name() + " ends at byte " + end
                        + " but the file has " + seg.byteSize() + " bytes (truncated file?)");
            }
        }
        return new GgufFile(path, version, meta, infos, dataStart, arena, seg);
    }

    public Path path() { return path; }

    public int version() { return version; }

    public Map<String, GgufValue> metadata() { return metadata; }

    public Map<String, GgufTensorInfo> tensors() { return tensors; }

    public boolean has(String key) { return metadata.containsKey(key); }

    public GgufTensorInfo tensor(String name) {
        GgufTensorInfo t = tensors.get(name);
        if (t == null) throw ModelFormatException.of(path, "missing tensor " + name);
        return t;
    }

    /** The raw bytes of a tensor, a slice of the mapping. */
    public MemorySegment data(GgufTensorInfo t) {
        return mapping.asSlice(dataStart + t.offset(), t.byteSize());
    }

    /** A tensor widened to fp32, in row-major order (innermost GGUF dimension contiguous). */
    public float[] readFloats(String name) {
        GgufTensorInfo t = tensor(name);
        long n = t.elementCount();
        if (n > Integer.MAX_VALUE - 8) throw ModelFormatException.of(path, "tensor " + name + " has " + n + " elements, too many for one array");
        return Dequantize.toFloat(t.type(), mapping, dataStart + t.offset(), (int) n);
    }

    // ---- typed metadata access; a missing required key is an error naming the key ----

    public GgufValue value(String key) {
        GgufValue v = metadata.get(key);
        if (v == null) throw ModelFormatException.of(path, "missing metadata key " + key);
        return v;
    }

    public String getString(String key) {
        return (String) value(key).value();
    }

    public String getString(String key, String fallback) {
        return has(key) ? getString(key) : fallback;
    }

    public long getLong(String key) {
        Object v = value(key).value();
        if (v instanceof Number n) return n.longValue();
        if (v instanceof Boolean b) return b ? 1 : 0;
        throw ModelFormatException.of(path, "metadata key " + key + " is not a number: " + v);
    }

    public int getInt(String key) {
        return Math.toIntExact(getLong(key));
    }

    public int getInt(String key, int fallback) {
        return has(key) ? getInt(key) : fallback;
    }

    public float getFloat(String key) {
        Object v = value(key).value();
        if (v instanceof Number n) return n.floatValue();
        throw ModelFormatException.of(path, "metadata key " + key + " is not a number: " + v);
    }

    public float getFloat(String key, float fallback) {
        return has(key) ? getFloat(key) : fallback;
    }

    public boolean getBoolean(String key, boolean fallback) {
        if (!has(key)) return fallback;
        Object v = value(key).value();
        return v instanceof Boolean b ? b : ((Number) v).longValue() != 0;
    }

    public String[] getStringArray(String key) {
        return (String[]) value(key).value();
    }

    public float[] getFloatArray(String key) {
        return (float[]) value(key).value();
    }

    /** An integer array of any stored width, widened to int. */
    public int[] getIntArray(String key) {
        Object v = value(key).value();
        return switch (v) {
            case int[] a -> a;
            case long[] a -> { int[] r = new int[a.length]; for (int i = 0; i < a.length; i++) r[i] = Math.toIntExact(a[i]); yield r; }
            case short[] a -> { int[] r = new int[a.length]; for (int i = 0; i < a.length; i++) r[i] = a[i]; yield r; }
            case byte[] a -> { int[] r = new int[a.length]; for (int i = 0; i < a.length; i++) r[i] = a[i]; yield r; }
            default -> throw ModelFormatException.of(path, "metadata key " + key + " is not an integer array");
        };
    }

    @Override
    public void close() {
        arena.close();
    }
}
