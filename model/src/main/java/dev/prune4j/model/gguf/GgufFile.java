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
import java.util.Arrays;
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
    /** The metadata key that overrides {@link #DEFAULT_ALIGNMENT}. */
    public static final String ALIGNMENT_KEY = "general.alignment";

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
        if (seg.byteSize() < 8) throw ModelFormatException.of(path, "too short to be a GGUF file (" + seg.byteSize() + " bytes)");
        GgufCursor in = new GgufCursor(path, seg);
        int magic = in.i32();
        if (magic != MAGIC) {
            throw ModelFormatException.of(path, String.format("not a GGUF file: magic 0x%08x, expected 0x%08x (\"GGUF\")", magic, MAGIC));
        }
        int version = in.i32();
        if (version < 1 || version > 3) {
            boolean bigEndian = Integer.reverseBytes(version) >= 1 && Integer.reverseBytes(version) <= 3;
            throw ModelFormatException.of(path, "unsupported GGUF version " + version + " (1, 2 and 3 are read)"
                    + (bigEndian ? "; this looks like a big-endian GGUF file, only little-endian ones are read" : ""));
        }
        in.setVersion(version);
        long tensorCount = in.count("tensor count");
        long kvCount = in.count("metadata key count");
        Map<String, GgufValue> meta = readMetadata(path, in, kvCount);
        Map<String, GgufTensorInfo> infos = readTensorInfos(path, in, tensorCount);
        long alignment = alignment(path, meta);
        long dataStart = (in.position() + alignment - 1) / alignment * alignment;
        checkDataRanges(path, infos, alignment, seg.byteSize() - dataStart);
        return new GgufFile(path, version, meta, infos, dataStart, arena, seg);
    }

    private static Map<String, GgufValue> readMetadata(Path path, GgufCursor in, long kvCount) {
        Map<String, GgufValue> meta = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = in.string("metadata key #" + i);
            GgufValue value = in.value(in.valueType(key), key);
            if (meta.put(key, value) != null) throw ModelFormatException.of(path, "duplicate metadata key " + key);
        }
        return meta;
    }

    private static Map<String, GgufTensorInfo> readTensorInfos(Path path, GgufCursor in, long tensorCount) {
        Map<String, GgufTensorInfo> infos = new LinkedHashMap<>();
        for (long i = 0; i < tensorCount; i++) {
            String name = in.string("name of tensor #" + i);
            int nDims = in.i32();
            if (nDims < 1 || nDims > 4) throw ModelFormatException.of(path, "tensor " + name + ": " + nDims + " dimensions (1 to 4 allowed)");
            long[] dims = new long[nDims];
            long elements = 1;
            for (int d = 0; d < nDims; d++) {
                dims[d] = in.dimension();
                // The bound leaves room for the byte size (at most 4 bytes per element) to fit in a long too.
                if (dims[d] <= 0 || elements > Long.MAX_VALUE / 8 / dims[d]) {
                    throw ModelFormatException.of(path, "tensor " + name + ": implausible dimensions " + Arrays.toString(dims));
                }
                elements *= dims[d];
            }
            int typeId = in.i32();
            GgmlType type;
            try {
                type = GgmlType.fromId(typeId);
            } catch (IllegalArgumentException e) {
                throw ModelFormatException.of(path, "tensor " + name + ": unsupported ggml type id " + typeId);
            }
            if (dims[0] % type.blockSize != 0) {
                throw ModelFormatException.of(path, "tensor " + name + ": first dimension " + dims[0]
                        + " is not a multiple of the " + type + " block size " + type.blockSize);
            }
            long offset = in.u64();
            if (infos.put(name, new GgufTensorInfo(name, dims, type, offset)) != null) {
                throw ModelFormatException.of(path, "duplicate tensor " + name);
            }
        }
        return infos;
    }

    /** {@code general.alignment}, or 32 when absent; ggml requires a power of two. */
    private static long alignment(Path path, Map<String, GgufValue> meta) {
        GgufValue a = meta.get(ALIGNMENT_KEY);
        if (a == null) return DEFAULT_ALIGNMENT;
        if (!(a.value() instanceof Number n) || a.type() == GgufValueType.FLOAT32 || a.type() == GgufValueType.FLOAT64
                || n.longValue() <= 0 || Long.bitCount(n.longValue()) != 1) {
            throw ModelFormatException.of(path, ALIGNMENT_KEY + " must be a positive power of two, found " + a.type() + " " + a.value());
        }
        return n.longValue();
    }

    private static void checkDataRanges(Path path, Map<String, GgufTensorInfo> infos, long alignment, long dataBytes) {
        for (GgufTensorInfo t : infos.values()) {
            if (t.offset() % alignment != 0) {
                throw ModelFormatException.of(path, "tensor " + t.name() + ": data offset " + t.offset()
                        + " is not a multiple of the alignment " + alignment);
            }
            // An offset of 2^63 or more reads as negative: refused here rather than wrapping around the size check.
            if (t.offset() < 0 || t.offset() > dataBytes || t.byteSize() > dataBytes - t.offset()) {
                throw ModelFormatException.of(path, "tensor " + t.name() + ": " + t.byteSize() + " bytes at offset "
                        + Long.toUnsignedString(t.offset()) + " of the data section run past the end of the file ("
                        + Math.max(0, dataBytes) + " data bytes; truncated file?)");
            }
        }
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
        return typed(key, String.class, "a string");
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
        return getLong(key) != 0;
    }

    public String[] getStringArray(String key) {
        return typed(key, String[].class, "a string array");
    }

    public float[] getFloatArray(String key) {
        return typed(key, float[].class, "a float32 array");
    }

    /** An integer array of any stored width, widened to int (unsigned types without sign extension). */
    public int[] getIntArray(String key) {
        GgufValue value = value(key);
        GgufValueType et = value.elementType();
        boolean unsigned = et == GgufValueType.UINT8 || et == GgufValueType.UINT16 || et == GgufValueType.UINT32;
        long[] wide = switch (value.value()) {
            case int[] a -> { long[] w = new long[a.length]; for (int i = 0; i < a.length; i++) w[i] = unsigned ? Integer.toUnsignedLong(a[i]) : a[i]; yield w; }
            case long[] a -> a;
            case short[] a -> { long[] w = new long[a.length]; for (int i = 0; i < a.length; i++) w[i] = unsigned ? a[i] & 0xffff : a[i]; yield w; }
            case byte[] a -> { long[] w = new long[a.length]; for (int i = 0; i < a.length; i++) w[i] = unsigned ? a[i] & 0xff : a[i]; yield w; }
            default -> throw ModelFormatException.of(path, "metadata key " + key + " is " + describe(value) + ", expected an integer array");
        };
        int[] r = new int[wide.length];
        for (int i = 0; i < r.length; i++) {
            // uint64 values are stored as signed longs; anything outside int range (or >= 2^63) is refused here.
            if (wide[i] != (int) wide[i] || (et == GgufValueType.UINT64 && wide[i] < 0)) {
                throw ModelFormatException.of(path, "metadata key " + key + ": element " + i + " = "
                        + (et == GgufValueType.UINT64 ? Long.toUnsignedString(wide[i]) : wide[i]) + " does not fit in an int");
            }
            r[i] = (int) wide[i];
        }
        return r;
    }

    private <T> T typed(String key, Class<T> type, String expected) {
        GgufValue v = value(key);
        if (!type.isInstance(v.value())) {
            throw ModelFormatException.of(path, "metadata key " + key + " is " + describe(v) + ", expected " + expected);
        }
        return type.cast(v.value());
    }

    private static String describe(GgufValue v) {
        return v.type() == GgufValueType.ARRAY ? "an array of " + v.elementType() : "a " + v.type();
    }

    @Override
    public void close() {
        arena.close();
    }
}
