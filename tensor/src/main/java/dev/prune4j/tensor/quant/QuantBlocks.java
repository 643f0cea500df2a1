package dev.prune4j.tensor.quant;

import dev.prune4j.tensor.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Plumbing shared by the block formats: checks the ranges, then copies whole blocks from the (usually mapped)
 * segment to a small heap buffer and hands them one at a time to the type's block decoder.
 */
final class QuantBlocks {
    /** Decodes one block at {@code block[at..]} into {@code dst[dstAt .. dstAt + blockSize)}. */
    @FunctionalInterface
    interface BlockDecoder {
        void decode(byte[] block, int at, float[] dst, int dstAt);
    }

    /** Blocks copied per bulk read: large enough to amortise the copy, small enough to stay in L1/L2. */
    private static final int CHUNK_BLOCKS = 256;

    private QuantBlocks() {}

    static void decode(GgmlType type, MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count,
                       BlockDecoder decoder) {
        checkRange(type, src, byteOffset, dst, dstOffset, count);
        int blocks = count / type.blockSize;
        byte[] buf = new byte[Math.min(blocks, CHUNK_BLOCKS) * type.typeSize];
        for (int first = 0; first < blocks; first += CHUNK_BLOCKS) {
            int n = Math.min(CHUNK_BLOCKS, blocks - first);
            MemorySegment.copy(src, ValueLayout.JAVA_BYTE, byteOffset + (long) first * type.typeSize, buf, 0, n * type.typeSize);
            for (int b = 0; b < n; b++) {
                decoder.decode(buf, b * type.typeSize, dst, dstOffset + (first + b) * type.blockSize);
            }
        }
    }

    /**
     * Validates that {@code count} is a whole number of blocks and that source and destination ranges exist;
     * returns the number of source bytes.
     */
    static long checkRange(GgmlType type, MemorySegment src, long byteOffset, float[] dst, int dstOffset, int count) {
        if (count < 0) throw new IllegalArgumentException(type + ": negative element count " + count);
        long bytes = type.byteSize(count);
        if (byteOffset < 0 || byteOffset > src.byteSize() - bytes) {
            throw new IndexOutOfBoundsException(type + ": " + count + " elements need bytes [" + byteOffset + ", "
                    + (byteOffset + bytes) + ") but the source has " + src.byteSize());
        }
        if (dstOffset < 0 || dstOffset > dst.length - count) {
            throw new IndexOutOfBoundsException(type + ": " + count + " elements do not fit at offset " + dstOffset
                    + " of an array of " + dst.length);
        }
        return bytes;
    }

    /** The little-endian IEEE half at {@code b[at..at+2)}, widened exactly. */
    static float f16(byte[] b, int at) {
        return Float.float16ToFloat((short) ((b[at] & 0xff) | (b[at + 1] << 8)));
    }

    /** The 6-bit scale and min of sub-block {@code j} (0..7) from the 12 packed bytes at {@code b[at..]} (Q4_K, Q5_K). */
    static int scaleK4(byte[] b, int at, int j) {
        return j < 4
                ? b[at + j] & 63
                : (b[at + j + 4] & 0x0f) | ((b[at + j - 4] & 0xff) >>> 6) << 4;
    }

    static int minK4(byte[] b, int at, int j) {
        return j < 4
                ? b[at + j + 4] & 63
                : (b[at + j + 4] & 0xff) >>> 4 | ((b[at + j] & 0xff) >>> 6) << 4;
    }
}
