package dev.prune4j.model.gguf;

import java.util.Arrays;
import java.util.Objects;

/**
 * One metadata value with the type it was stored as, so a writer can reproduce it.
 * Scalars are boxed ({@code Integer} for 8-32 bit signed and 8-16 bit unsigned, {@code Long} for uint32 and 64 bit,
 * {@code Float}, {@code Double}, {@code Boolean}, {@code String}); arrays are Java arrays of the matching primitive
 * ({@code byte[]}, {@code short[]}, {@code int[]}, {@code long[]}, {@code float[]}, {@code double[]}, {@code boolean[]},
 * {@code String[]}) or {@code GgufValue[]} for nested arrays. Equality compares array contents.
 *
 * @param type         the stored type
 * @param elementType  for arrays, the element type; otherwise null
 * @param value        the value as described above
 */
public record GgufValue(GgufValueType type, GgufValueType elementType, Object value) {
    public static GgufValue of(GgufValueType type, Object value) {
        return new GgufValue(type, null, value);
    }

    public static GgufValue array(GgufValueType elementType, Object values) {
        return new GgufValue(GgufValueType.ARRAY, elementType, values);
    }

    public static GgufValue string(String s) {
        return of(GgufValueType.STRING, s);
    }

    public static GgufValue uint32(long v) {
        return of(GgufValueType.UINT32, v);
    }

    public static GgufValue float32(float v) {
        return of(GgufValueType.FLOAT32, v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufValue v && type == v.type && elementType == v.elementType
                && Objects.deepEquals(value, v.value);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {type, elementType, value});
    }

    @Override
    public String toString() {
        String shown = value instanceof Object[] a ? Arrays.deepToString(a)
                : value != null && value.getClass().isArray() ? Arrays.deepToString(new Object[] {value}) : String.valueOf(value);
        return (type == GgufValueType.ARRAY ? "ARRAY<" + elementType + ">" : type.toString()) + " " + shown;
    }
}
