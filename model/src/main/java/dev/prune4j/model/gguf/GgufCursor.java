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
    /** Caps string and array lengths so that a corrupt count fails clearly instead of allocating gigabytes. */
    private static final long MAX_COUNT = 1L << 31;

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

    private void need(long n) {
        if (pos + n > seg.byteSize()) {
            throw ModelFormatException.of(path, "truncated GGUF header: needed " + n + " bytes at offset " + pos
                    + " but the file has " + seg.byteSize());
        }
    }

    byte i8() { need(1); return seg.get(ValueLayout.JAVA_BYTE, pos++); }

    short i16() { need(2); short v = seg.get(ValueLayout.JAVA_SHORT_UNALIGNED, pos); pos += 2; return v; }

    int i32() { need(4); int v = seg.get(I32, pos); pos += 4; return v; }

    long u64() { need(8); long v = seg.get(I64, pos); pos += 8; return v; }

    /** A count or length: uint32 in GGUF v1, uint64 later. */
    long count() {
        long n = version == 1 ? Integer.toUnsignedLong(i32()) : u64();
        if (n < 0 || n > MAX_COUNT) throw ModelFormatException.of(path, "implausible count " + n + " at offset " + (pos - 8));
        return n;
    }

    String string() {
        long n = count();
        need(n);
        byte[] b = new byte[(int) n];
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, pos, b, 0, (int) n);
        pos += n;
        return new String(b, StandardCharsets.UTF_8);
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
            case STRING -> GgufValue.of(type, string());
            case UINT64, INT64 -> GgufValue.of(type, u64());
            case FLOAT64 -> GgufValue.of(type, Double.longBitsToDouble(u64()));
            case ARRAY -> array(key);
        };
    }

    private GgufValue array(String key) {
        GgufValueType et = GgufValueType.fromId(i32());
        int n = (int) count();
        Object values = switch (et) {
            case UINT8, INT8 -> { byte[] a = new byte[n]; for (int i = 0; i < n; i++) a[i] = i8(); yield a; }
            case BOOL -> { boolean[] a = new boolean[n]; for (int i = 0; i < n; i++) a[i] = i8() != 0; yield a; }
            case UINT16, INT16 -> { short[] a = new short[n]; for (int i = 0; i < n; i++) a[i] = i16(); yield a; }
            case UINT32, INT32 -> { int[] a = new int[n]; for (int i = 0; i < n; i++) a[i] = i32(); yield a; }
            case UINT64, INT64 -> { long[] a = new long[n]; for (int i = 0; i < n; i++) a[i] = u64(); yield a; }
            case FLOAT32 -> { float[] a = new float[n]; for (int i = 0; i < n; i++) a[i] = Float.intBitsToFloat(i32()); yield a; }
            case FLOAT64 -> { double[] a = new double[n]; for (int i = 0; i < n; i++) a[i] = Double.longBitsToDouble(u64()); yield a; }
            case STRING -> { String[] a = new String[n]; for (int i = 0; i < n; i++) a[i] = string(); yield a; }
            case ARRAY -> { GgufValue[] a = new GgufValue[n]; for (int i = 0; i < n; i++) a[i] = array(key); yield a; }
        };
        return GgufValue.array(et, values);
    }
}
