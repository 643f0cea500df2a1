package dev.prune4j.model.safetensors;

import dev.prune4j.model.ModelFormatException;
import dev.prune4j.tensor.GgmlType;
import dev.prune4j.tensor.quant.Dequantize;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * One safetensors file, memory-mapped: an 8-byte little-endian header length, a JSON header, then the tensor data.
 * The header is parsed eagerly; tensor data is read from the mapping on demand.
 */
public final class SafetensorsFile implements AutoCloseable {
    private final Path path;
    private final SafetensorsHeader header;
    private final long dataStart;
    private final Arena arena;
    private final MemorySegment mapping;

    private SafetensorsFile(Path path, SafetensorsHeader header, long dataStart, Arena arena, MemorySegment mapping) {
        this.path = path;
        this.header = header;
        this.dataStart = dataStart;
        this.arena = arena;
        this.mapping = mapping;
    }

    /** Opens and validates {@code path}; errors name the file and, where it applies, the tensor. */
    public static SafetensorsFile open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            if (seg.byteSize() < 8) throw ModelFormatException.of(path, "too short to be a safetensors file (" + seg.byteSize() + " bytes)");
            long n = seg.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
            if (n < 0 || n > SafetensorsHeader.MAX_HEADER_BYTES) {
                throw ModelFormatException.of(path, "safetensors header length " + Long.toUnsignedString(n)
                        + " exceeds the limit of " + SafetensorsHeader.MAX_HEADER_BYTES + " bytes (not a safetensors file?)");
            }
            if (8 + n > seg.byteSize()) {
                throw ModelFormatException.of(path, "truncated: the header needs " + n + " bytes after the length but the file has "
                        + (seg.byteSize() - 8));
            }
            byte[] json = seg.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
            SafetensorsHeader header = SafetensorsHeader.parse(path, json, seg.byteSize() - 8 - n);
            return new SafetensorsFile(path, header, 8 + n, arena, seg);
        } catch (NoSuchFileException e) {
            arena.close();
            throw new NoSuchFileException(path.toString(), null, "model file not found");
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public Path path() { return path; }

    /** The {@code __metadata__} strings (empty when absent). */
    public Map<String, String> metadata() { return header.metadata(); }

    /** Tensor entries in header order. */
    public Map<String, SafetensorsTensorInfo> tensors() { return header.tensors(); }

    public SafetensorsTensorInfo tensor(String name) {
        SafetensorsTensorInfo t = header.tensors().get(name);
        if (t == null) throw ModelFormatException.of(path, "missing tensor " + name);
        return t;
    }

    /** The raw little-endian bytes of a tensor, a slice of the mapping. */
    public MemorySegment data(SafetensorsTensorInfo t) {
        return mapping.asSlice(dataStart + t.begin(), t.byteSize());
    }

    /** An F32, F16 or BF16 tensor widened to fp32, row-major (last dimension contiguous). */
    public float[] readFloats(String name) {
        SafetensorsTensorInfo t = tensor(name);
        GgmlType storage = t.dtype().storage();
        if (storage == null) {
            throw ModelFormatException.of(path, "tensor " + name + " has dtype " + t.dtype() + "; only F32, F16 and BF16 are read as floats");
        }
        long n = t.elementCount();
        if (n > Integer.MAX_VALUE - 8) throw ModelFormatException.of(path, "tensor " + name + " has " + n + " elements, too many for one array");
        return Dequantize.toFloat(storage, mapping, dataStart + t.begin(), (int) n);
    }

    @Override
    public void close() {
        arena.close();
    }
}
