package dev.prune4j.prune.method;

import java.util.Arrays;

/** Choosing which weights to zero from a score (lower score = pruned first), with exact counts and stable ties. */
final class MaskSelection {
    private MaskSelection() {}

    /**
     * Marks the {@code count} lowest-scoring entries of {@code score[from, to)} (ties broken by index).
     *
     * @param mask same indexing as score; chosen entries set true
     */
    static void lowest(float[] score, int from, int to, int count, boolean[] mask) {
        lowest(score, from, to - from, count, mask, from);
    }

    /** As {@link #lowest(float[], int, int, int, boolean[])}, with the mask entries starting at {@code maskFrom}. */
    static void lowest(float[] score, int scoreFrom, int length, int count, boolean[] mask, int maskFrom) {
        if (count <= 0) return;
        if (count >= length) {
            Arrays.fill(mask, maskFrom, maskFrom + length, true);
            return;
        }
        long[] keys = new long[length];
        for (int i = 0; i < length; i++) keys[i] = sortKey(score[scoreFrom + i], i);
        Arrays.sort(keys);
        for (int i = 0; i < count; i++) mask[maskFrom + (int) (keys[i] & 0xffffffffL)] = true;
    }

    /**
     * Marks the {@code count} lowest-scoring entries among a strided set (a block of columns across all rows).
     *
     * @param score [rows, stride]; the candidates are columns [c0, c0 + width) of every row
     */
    static void lowestInColumns(float[] score, int rows, int stride, int c0, int width, int count, boolean[] mask) {
        int n = rows * width;
        if (count <= 0) return;
        long[] keys = new long[n];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) keys[r * width + c] = sortKey(score[r * stride + c0 + c], r * width + c);
        }
        Arrays.sort(keys);
        for (int i = 0; i < Math.min(count, n); i++) {
            int idx = (int) (keys[i] & 0xffffffffL);
            mask[(idx / width) * stride + c0 + idx % width] = true;
        }
    }

    /** In every row, the {@code n} lowest of each group of {@code m} consecutive columns. */
    static void nOfM(float[] score, int rows, int columns, int n, int m, boolean[] mask) {
        for (int r = 0; r < rows; r++) {
            for (int g = 0; g < columns; g += m) lowest(score, r * columns + g, r * columns + g + m, n, mask);
        }
    }

    /** A sortable key: non-negative score bits high, index low, so sorting orders by score then index. */
    private static long sortKey(float score, int index) {
        if (!(score >= 0)) throw new IllegalArgumentException("pruning scores must be non-negative and finite, got " + score);
        return ((long) Float.floatToIntBits(score + 0f) << 32) | index; // + 0f turns -0.0 into +0.0
    }

    /** Exact per-block counts that sum to {@code round(fraction·rows·columns)} over the whole matrix. */
    static int blockCount(double fraction, int rows, int columnsBefore, int width) {
        long before = Math.round(fraction * rows * (long) columnsBefore);
        long after = Math.round(fraction * rows * (long) (columnsBefore + width));
        return (int) (after - before);
    }
}
