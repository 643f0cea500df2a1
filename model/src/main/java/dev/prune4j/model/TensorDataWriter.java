package dev.prune4j.model;

import dev.prune4j.tensor.GgmlType;
import dev.prune4j.tensor.quant.Encode;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Streams fp32 arrays to a file as F32, F16 or BF16 through one reusable 1 MB buffer (shared by the model writers). */
public final class TensorDataWriter {
    private static final int CHUNK_BYTES = 1 << 20;

    private final FileChannel channel;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK_BYTES);
    private final MemorySegment seg = MemorySegment.ofBuffer(buf);

    public TensorDataWriter(FileChannel channel) {
        this.channel = channel;
    }

    /** Writes {@code data} encoded as {@code type}; returns the number of bytes written. */
    public long write(GgmlType type, float[] data) throws IOException {
        int bytesPerElement = Encode.bytesPerElement(type);
        int perChunk = CHUNK_BYTES / bytesPerElement;
        for (int from = 0; from < data.length; from += perChunk) {
            int n = Math.min(perChunk, data.length - from);
            Encode.fromFloat(type, data, from, n, seg, 0);
            buf.clear().limit(n * bytesPerElement);
            writeFully(buf);
        }
        return (long) data.length * bytesPerElement;
    }

    /** Writes all remaining bytes of {@code bytes}. */
    public void writeFully(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) channel.write(bytes);
    }
}
