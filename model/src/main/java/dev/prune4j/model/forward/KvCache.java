package dev.prune4j.model.forward;

import dev.prune4j.model.config.ModelConfig;

/** Keys and values of every layer for the positions seen so far, up to a fixed capacity. */
public final class KvCache {
    private final int capacity;
    private final int[] kvDim;
    private final float[][] keys;   // per layer [capacity, kvDim]
    private final float[][] values; // per layer [capacity, kvDim]
    private int length;

    public KvCache(ModelConfig config, int capacity) {
        this.capacity = capacity;
        int n = config.blockCount();
        this.kvDim = new int[n];
        this.keys = new float[n][];
        this.values = new float[n][];
        for (int i = 0; i < n; i++) {
            kvDim[i] = config.kvDim(i);
            keys[i] = new float[capacity * kvDim[i]];
            values[i] = new float[capacity * kvDim[i]];
        }
    }

    public int capacity() { return capacity; }

    /** Number of positions already stored. */
    public int length() { return length; }

    public float[] keys(int layer) { return keys[layer]; }

    public float[] values(int layer) { return values[layer]; }

    public int kvDim(int layer) { return kvDim[layer]; }

    /** Checks that {@code n} more positions fit. */
    void ensureRoom(int n) {
        if (length + n > capacity) {
            throw new IllegalStateException("KV cache holds " + capacity + " positions; " + length + " used, " + n + " more requested");
        }
    }

    void advance(int n) {
        length += n;
    }

    /** Forgets the positions from {@code length} on, e.g. to re-run a decode step or drop a rejected draft. */
    public void truncate(int length) {
        if (length < 0 || length > this.length) {
            throw new IllegalArgumentException("cannot truncate a cache of " + this.length + " positions to " + length);
        }
        this.length = length;
    }

    /** Forgets all positions (the arrays are reused). */
    public void clear() {
        length = 0;
    }
}
