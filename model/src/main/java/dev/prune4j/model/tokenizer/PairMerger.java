package dev.prune4j.model.tokenizer;

import java.util.Arrays;

/**
 * Greedy pair merging over a linked list of symbols with a priority queue, the loop shared by llama.cpp's SPM and
 * BPE sessions: start from single code points, repeatedly merge the adjacent pair with the best priority (ties go
 * to the leftmost pair), skip queue entries whose symbols changed since they were queued. O(n log n) in the text length.
 */
final class PairMerger {
    /** Returned by {@link Priorities#priority} when two symbols cannot merge. */
    static final long NO_MERGE = Long.MAX_VALUE;

    /** How good a merge is; lower merges first. */
    @FunctionalInterface
    interface Priorities {
        /** The priority (an int value) of merging {@code text[start, mid)} with {@code text[mid, end)}, or {@link #NO_MERGE}. */
        long priority(String text, int start, int mid, int end);
    }

    private PairMerger() {}

    /** A sortable int for a float, so that {@code -score} orders as the float does. */
    static int sortable(float f) {
        int bits = Float.floatToIntBits(f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    /**
     * Merges {@code text[from, to)} and returns the final symbols as consecutive char offsets:
     * {@code [start0, end0, start1, end1, …]}.
     */
    static IntList merge(String text, int from, int to, Priorities priorities) {
        int n = text.codePointCount(from, to);
        int[] start = new int[n];
        int[] len = new int[n]; // in chars; a merged-away symbol has 0
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0, pos = from; i < n; i++) {
            int cpLen = Character.charCount(text.codePointAt(pos));
            start[i] = pos;
            len[i] = cpLen;
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
            pos += cpLen;
        }
        Queue queue = new Queue(Math.max(n, 1));
        for (int i = 1; i < n; i++) queue.offer(text, start, len, i - 1, i, priorities);
        while (!queue.isEmpty()) {
            int left = queue.peekLeft();
            int right = queue.peekRight();
            int size = queue.peekSize();
            queue.pop();
            // stale entry: one side was merged away, or grew (symbols only grow, so a changed length means changed text)
            if (len[left] == 0 || len[right] == 0 || len[left] + len[right] != size) continue;
            len[left] += len[right];
            len[right] = 0;
            next[left] = next[right];
            if (next[right] >= 0) prev[next[right]] = left;
            if (prev[left] >= 0) queue.offer(text, start, len, prev[left], left, priorities);
            if (next[left] >= 0) queue.offer(text, start, len, left, next[left], priorities);
        }
        IntList spans = new IntList(16);
        for (int i = n > 0 ? 0 : -1; i >= 0; i = next[i]) {
            spans.add(start[i]);
            spans.add(start[i] + len[i]);
        }
        return spans;
    }

    /** A binary min-heap of candidate merges keyed by (priority, left index), in parallel primitive arrays. */
    private static final class Queue {
        private long[] keys;
        private int[] rights;
        private int[] sizes;
        private int count;

        Queue(int capacity) {
            keys = new long[capacity];
            rights = new int[capacity];
            sizes = new int[capacity];
        }

        boolean isEmpty() {
            return count == 0;
        }

        int peekLeft() {
            return (int) keys[0];
        }

        int peekRight() {
            return rights[0];
        }

        int peekSize() {
            return sizes[0];
        }

        void offer(String text, int[] start, int[] len, int left, int right, Priorities priorities) {
            long p = priorities.priority(text, start[left], start[right], start[right] + len[right]);
            if (p == NO_MERGE) return;
            if (count == keys.length) {
                int cap = count * 2;
                keys = Arrays.copyOf(keys, cap);
                rights = Arrays.copyOf(rights, cap);
                sizes = Arrays.copyOf(sizes, cap);
            }
            long key = (p << 32) | left; // left >= 0, so the low half never borrows into the priority
            int i = count++;
            while (i > 0) { // sift up
                int parent = (i - 1) >>> 1;
                if (keys[parent] <= key) break;
                move(parent, i);
                i = parent;
            }
            keys[i] = key;
            rights[i] = right;
            sizes[i] = len[left] + len[right];
        }

        void pop() {
            count--;
            if (count == 0) return;
            long key = keys[count];
            int right = rights[count];
            int size = sizes[count];
            int i = 0;
            while (true) { // sift down
                int child = 2 * i + 1;
                if (child >= count) break;
                if (child + 1 < count && keys[child + 1] < keys[child]) child++;
                if (keys[child] >= key) break;
                move(child, i);
                i = child;
            }
            keys[i] = key;
            rights[i] = right;
            sizes[i] = size;
        }

        private void move(int from, int to) {
            keys[to] = keys[from];
            rights[to] = rights[from];
            sizes[to] = sizes[from];
        }
    }
}
