package dev.prune4j.model.gguf;

import dev.prune4j.model.ModelFormatException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Sequential little-endian reader over the GGUF header; every read is bounds-checked against the file size. */
final class GgufCursor {
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;
    /** Caps string and array lengths so that a corrupt count fails clearly instead of overflowing an int. */
    private static final long MAX_COUNT = Integer.MAX_VALUE - 8;

    private final Path path;
    private final MemorySegment seg;
    private long pos;
    private int version = 3;

    GgufCursor(Path path, MemorySegment seg) {
        this.path = path;
        this.seg = seg;
    }

    void setVersion(int version) { this.version = version; }

    long position() { return pos; }

    /** Fails unless {@code n} more bytes exist; {@code what} says what was being read. */
    private void need(long n, String what) {
        if (n < 0 || n > seg.byteSize() - pos) {
            throw ModelFormatException.of(path, "truncated GGUF header: " + what + " needs " + n + " bytes at offset "
                    + pos + " but the file has " + seg.byteSize());
        }
    }

    byte i8() { need(1, "a byte"); return seg.get(ValueLayout.JAVA_BYTE, pos++); }

    short i16() { need(2, "an int16"); short v = seg.get(ValueLayout.JAVA_SHORT_UNALIGNED, pos); pos += 2; return v; }

    int i32() { need(4, "an int32"); int v = seg.get(I32, pos); pos += 4; return v; }

    long u64() { need(8, "an int64"); long v = seg.get(I64, pos); pos += 8; return v; }

    /** Bytes used by a count or length: uint32 in GGUF v1, uint64 later. */
    private int countBytes() { return version == 1 ? 4 : 8; }

    /** A count or length: uint32 in GGUF v1, uint64 later. */
    long count(String what) {
        long at = pos;
        long n = version == 1 ? Integer.toUnsignedLong(i32()) : u64();
        if (n < 0 || n > MAX_COUNT) {
            throw ModelFormatException.of(path, "implausible " + what + " " + Long.toUnsignedString(n) + " at offset " + at);
        }
        return n;
    }

    /** A tensor dimension: uint32 in GGUF v1, uint64 later; values of 2^63 or more come back negative. */
    long dimension() {
        return version == 1 ? Integer.toUnsignedLong(i32()) : u64();
    }

    String string(String what) {
        int n = (int) count("length of " + what);
        need(n, what);
        byte[] b = new byte[n];
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, pos, b, 0, n);
        pos += n;
        return new String(b, StandardCharsets.UTF_8);
    }

    GgufValueType valueType(String key) {
        long at = pos;
        int id = i32();
        if (id < 0 || id >= GgufValueType.values().length) {
            throw ModelFormatException.of(path, "metadata key " + key + ": unknown value type id " + id + " at offset " + at);
        }
        return GgufValueType.fromId(id);
    }

    GgufValue value(GgufValueType type, String key) {
        return switch (type) {
            case UINT8 -> GgufValue.of(type, i8() & 0xff);
            case INT8 -> GgufValue.of(type, (int) i8());
            case UINT16 -> GgufValue.of(type, i16() & 0xffff);
            case INT16 -> GgufValue.of(type, (int) i16());
            case UINT32 -> GgufValue.of(type, Integer.toUnsignedLong(i32()));
            case INT32 -> GgufValue.of(type, i32());
            case FLOAT32 -> GgufValue.of(type, Float.intBitsToFloat(i32()));
            case BOOL -> GgufValue.of(type, i8() != 0);
            case STRING -> GgufValue.of(type, string("value of " + key));
            case UINT64, INT64 -> GgufValue.of(type, u64());
            case FLOAT64 -> GgufValue.of(type, Double.longBitsToDouble(u64()));
            case ARRAY -> array(key);
        };
    }

    private GgufValue array(String key) {
        GgufValueType et = valueType(key);
        int n = (int) count("array length of " + key);
        // Check that the elements can exist before allocating, so a corrupt count fails clearly.
        long minElementBytes = switch (et) {
            case UINT8, INT8, BOOL -> 1;
            case UINT16, INT16 -> 2;
            case UINT32, INT32, FLOAT32 -> 4;
            case UINT64, INT64, FLOAT64 -> 8;
            case STRING -> countBytes();
            case ARRAY -> 4L + countBytes();
        };
        need(n * minElementBytes, "array " + key + " of " + n + " " + et);
        Object values = switch (et) {
            case UINT8, INT8 -> { byte[] a = new byte[n]; for (int i = 0; i < n; i++) a[i] = i8(); yield a; }
            case BOOL -> { boolean[] a = new boolean[n]; for (int i = 0; i < n; i++) a[i] = i8() != 0; yield a; }
            case UINT16, INT16 -> { short[] a = new short[n]; for (int i = 0; i < n; i++) a[i] = i16(); yield a; }
            case UINT32, INT32 -> { int[] a = new int[n]; for (int i = 0; i < n; i++) a[i] = i32(); yield a; }
            case UINT64, INT64 -> { long[] a = new long[n]; for (int i = 0; i < n; i++) a[i] = u64(); yield a; }
            case FLOAT32 -> { float[] a = new float[n]; for (int i = 0; i < n; i++) a[i] = Float.intBitsToFloat(i32()); yield a; }
            case FLOAT64 -> { double[] a = new double[n]; for (int i = 0; i < n; i++) a[i] = Double.longBitsToDouble(u64()); yield a; }
            case STRING -> { String[] a = new String[n]; for (int i = 0; i < n; i++) a[i] = string("element of " + key); yield a; }
            case ARRAY -> { GgufValue[] a = new GgufValue[n]; for (int i = 0; i < n; i++) a[i] = array(key); yield a; }
        };
        return GgufValue.array(et, values);
    }
}
