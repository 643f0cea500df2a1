package dev.prune4j.model.gguf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Little-endian GGUF v3 header encoding into a growing byte array; the inverse of {@link GgufCursor}. */
final class GgufEncoder {
    private byte[] buf = new byte[1 << 16];
    private int size;

    int size() { return size; }

    byte[] toArray() { return Arrays.copyOf(buf, size); }

    private void ensure(int n) {
        if (size + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
    }

    void u8(int v) { ensure(1); buf[size++] = (byte) v; }

    void u16(int v) { u8(v); u8(v >> 8); }

    void u32(int v) { u16(v); u16(v >> 16); }

    void u64(long v) { u32((int) v); u32((int) (v >>> 32)); }

    void string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u64(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    /** Writes the type id and the value of one metadata entry; {@code key} only names it in errors. */
    void typedValue(String key, GgufValue v) {
        if (v == null || v.type() == null || v.value() == null) throw new IllegalArgumentException("metadata key " + key + ": null value or type");
        u32(v.type().ordinal());
        value(key, v.type(), v.elementType(), v.value());
    }

    private void value(String key, GgufValueType type, GgufValueType elementType, Object value) {
        switch (type) {
            case UINT8 -> u8((int) integer(key, type, value, 0, 0xff));
            case INT8 -> u8((int) integer(key, type, value, Byte.MIN_VALUE, Byte.MAX_VALUE));
            case UINT16 -> u16((int) integer(key, type, value, 0, 0xffff));
            case INT16 -> u16((int) integer(key, type, value, Short.MIN_VALUE, Short.MAX_VALUE));
            case UINT32 -> u32((int) integer(key, type, value, 0, 0xffff_ffffL));
            case INT32 -> u32((int) integer(key, type, value, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case UINT64, INT64 -> u64(integer(key, type, value, Long.MIN_VALUE, Long.MAX_VALUE));
            case FLOAT32 -> u32(Float.floatToRawIntBits(cast(key, type, value, Float.class)));
            case FLOAT64 -> u64(Double.doubleToRawLongBits(cast(key, type, value, Double.class)));
            case BOOL -> u8(cast(key, type, value, Boolean.class) ? 1 : 0);
            case STRING -> string(cast(key, type, value, String.class));
            case ARRAY -> array(key, elementType, value);
        }
    }

    private void array(String key, GgufValueType et, Object values) {
        if (et == null) throw new IllegalArgumentException("metadata key " + key + ": array without an element type");
        u32(et.ordinal());
        switch (et) {
            case UINT8, INT8 -> { byte[] a = cast(key, et, values, byte[].class); u64(a.length); for (byte x : a) u8(x); }
            case BOOL -> { boolean[] a = cast(key, et, values, boolean[].class); u64(a.length); for (boolean x : a) u8(x ? 1 : 0); }
            case UINT16, INT16 -> { short[] a = cast(key, et, values, short[].class); u64(a.length); for (short x : a) u16(x); }
            case UINT32, INT32 -> { int[] a = cast(key, et, values, int[].class); u64(a.length); for (int x : a) u32(x); }
            case UINT64, INT64 -> { long[] a = cast(key, et, values, long[].class); u64(a.length); for (long x : a) u64(x); }
            case FLOAT32 -> { float[] a = cast(key, et, values, float[].class); u64(a.length); for (float x : a) u32(Float.floatToRawIntBits(x)); }
            case FLOAT64 -> { double[] a = cast(key, et, values, double[].class); u64(a.length); for (double x : a) u64(Double.doubleToRawLongBits(x)); }
            case STRING -> { String[] a = cast(key, et, values, String[].class); u64(a.length); for (String x : a) string(x); }
            case ARRAY -> {
                GgufValue[] a = cast(key, et, values, GgufValue[].class);
                u64(a.length);
                for (GgufValue x : a) {
                    if (x == null || x.type() != GgufValueType.ARRAY) {
                        throw new IllegalArgumentException("metadata key " + key + ": a nested array holds " + x + ", expected an ARRAY value");
                    }
                    array(key, x.elementType(), x.value());
                }
            }
        }
    }

    private static long integer(String key, GgufValueType type, Object value, long min, long max) {
        if (!(value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte)) {
            throw new IllegalArgumentException("metadata key " + key + ": " + type + " needs an integer, found " + describe(value));
        }
        long v = ((Number) value).longValue();
        if (v < min || v > max) throw new IllegalArgumentException("metadata key " + key + ": " + v + " does not fit in " + type);
        return v;
    }

    private static <T> T cast(String key, GgufValueType type, Object value, Class<T> expected) {
        if (!expected.isInstance(value)) {
            throw new IllegalArgumentException("metadata key " + key + ": " + type + " needs a " + expected.getSimpleName()
                    + ", found " + describe(value));
        }
        return expected.cast(value);
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName() + " " + value;
    }
}
