package dev.prune4j.model.tokenizer;

import java.util.Arrays;

/** A growable list of primitive ints, so token and offset lists of multi-megabyte texts are not boxed. */
final class IntList {
    private int[] values;
    private int size;

    IntList() {
        this(16);
    }

    IntList(int capacity) {
        values = new int[Math.max(capacity, 4)];
    }

    void add(int v) {
        if (size == values.length) values = Arrays.copyOf(values, values.length * 2);
        values[size++] = v;
    }

    void addAll(int[] vs) {
        if (size + vs.length > values.length) values = Arrays.copyOf(values, Math.max(values.length * 2, size + vs.length));
        System.arraycopy(vs, 0, values, size, vs.length);
        size += vs.length;
    }

    int get(int i) {
        return values[i];
    }

    int size() {
        return size;
    }

    void clear() {
        size = 0;
    }

    int[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
