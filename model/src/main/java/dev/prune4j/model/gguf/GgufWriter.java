package dev.prune4j.model.gguf;

import dev.prune4j.model.AtomicFiles;
import dev.prune4j.model.TensorDataWriter;
import dev.prune4j.tensor.GgmlType;
import dev.prune4j.tensor.quant.Encode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes GGUF v3: metadata with the types it carries, then F32, F16 or BF16 tensors from fp32 arrays, each aligned to
 * {@code general.alignment} (32 when absent). The file is written next to the target and renamed into place, so a
 * failure never leaves a half-written file at the target path. For llama.cpp, keep 1-D tensors (norms, biases) in F32:
 * its CPU backend refuses F16 ones (see tools/llamacpp/README.md).
 */
public final class GgufWriter {
    /** ggml's GGML_MAX_NAME is 64 bytes including the terminating NUL. */
    static final int MAX_NAME_BYTES = 63;

    /**
     * One tensor to write.
     *
     * @param dims dimensions innermost (contiguous) first, as GGUF lists them: a Hugging Face {@code [out, in]}
     *             weight is {@code {in, out}}
     * @param type F32, F16 or BF16
     * @param data the values, {@code dims[0]} contiguous; length = product of dims
     */
    public record Tensor(String name, long[] dims, GgmlType type, float[] data) {}

    private GgufWriter() {}

    /** Writes {@code metadata} (in map order) and {@code tensors} (in list order) to {@code target}, replacing it. */
    public static void write(Path target, Map<String, GgufValue> metadata, List<Tensor> tensors) throws IOException {
        long alignment = alignment(target, metadata);
        checkTensors(target, tensors);
        byte[] header = header(target, metadata, tensors, alignment);

        Path tmp = AtomicFiles.newTempFile(target);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                TensorDataWriter out = new TensorDataWriter(ch);
                out.writeFully(ByteBuffer.wrap(header));
                long pos = pad(out, header.length, alignment);
                for (Tensor t : tensors) {
                    pos += out.write(t.type(), t.data());
                    pos = pad(out, pos, alignment);
                }
                ch.force(true);
            }
            AtomicFiles.moveIntoPlace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static long alignment(Path target, Map<String, GgufValue> metadata) {
        GgufValue a = metadata.get(GgufFile.ALIGNMENT_KEY);
        if (a == null) return GgufFile.DEFAULT_ALIGNMENT;
        // ggml reads general.alignment as a uint32 and requires a power of two.
        if (a.type() != GgufValueType.UINT32 || !(a.value() instanceof Number n) || n.longValue() <= 0
                || Long.bitCount(n.longValue()) != 1 || n.longValue() > 0xffff_ffffL) {
            throw new IllegalArgumentException(target + ": " + GgufFile.ALIGNMENT_KEY
                    + " must be a UINT32 power of two, found " + a);
        }
        return n.longValue();
    }

    private static void checkTensors(Path target, List<Tensor> tensors) {
        Set<String> names = new HashSet<>();
        for (Tensor t : tensors) {
            String what = target + ": tensor " + t.name() + ": ";
            if (t.name() == null || t.name().isEmpty()) throw new IllegalArgumentException(target + ": a tensor has no name");
            if (t.name().getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                throw new IllegalArgumentException(what + "name longer than " + MAX_NAME_BYTES + " bytes (ggml's limit)");
            }
            if (!names.add(t.name())) throw new IllegalArgumentException(what + "written twice");
            if (t.type() != GgmlType.F32 && t.type() != GgmlType.F16 && t.type() != GgmlType.BF16) {
                throw new IllegalArgumentException(what + "type " + t.type() + " cannot be written (F32, F16 and BF16 can)");
            }
            if (t.dims() == null || t.dims().length < 1 || t.dims().length > 4) {
                throw new IllegalArgumentException(what + "needs 1 to 4 dimensions");
            }
            long n = 1;
            for (long d : t.dims()) {
                if (d < 1) throw new IllegalArgumentException(what + "dimension " + d + " must be at least 1");
                n = Math.multiplyExact(n, d);
            }
            if (t.data() == null || t.data().length != n) {
                throw new IllegalArgumentException(what + "dimensions hold " + n + " values but the data has "
                        + (t.data() == null ? "none" : t.data().length));
            }
        }
    }

    private static byte[] header(Path target, Map<String, GgufValue> metadata, List<Tensor> tensors, long alignment) {
        GgufEncoder out = new GgufEncoder();
        out.u32(GgufFile.MAGIC);
        out.u32(3);
        out.u64(tensors.size());
        out.u64(metadata.size());
        for (Map.Entry<String, GgufValue> kv : metadata.entrySet()) {
            if (kv.getKey() == null || kv.getKey().isEmpty()) throw new IllegalArgumentException(target + ": empty metadata key");
            out.string(kv.getKey());
            try {
                out.typedValue(kv.getKey(), kv.getValue());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(target + ": " + e.getMessage(), e);
            }
        }
        long offset = 0;
        for (Tensor t : tensors) {
            out.string(t.name());
            out.u32(t.dims().length);
            for (long d : t.dims()) out.u64(d);
            out.u32(t.type().id);
            out.u64(offset);
            offset = align(offset + (long) t.data().length * Encode.bytesPerElement(t.type()), alignment);
        }
        return out.toArray();
    }

    /** Zero-fills from {@code pos} to the next multiple of {@code alignment}; returns the new position. */
    private static long pad(TensorDataWriter out, long pos, long alignment) throws IOException {
        long end = align(pos, alignment);
        if (end > pos) out.writeFully(ByteBuffer.allocate((int) (end - pos)));
        return end;
    }

    private static long align(long pos, long alignment) {
        return (pos + alignment - 1) / alignment * alignment;
    }
}
