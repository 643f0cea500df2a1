package dev.prune4j.model.tokenizer;

/**
 * The set of adjacent code-point pairs that occur inside any token of a vocabulary. Where two neighbouring
 * characters of a text form no such pair, no merge can ever join them, so the text can be cut there and the parts
 * merged (and cached) independently with exactly the same result.
 */
final class CodepointPairs {
    private long[] slots; // open addressing; 0 = empty, else (first << 21 | second) + 1
    private int count;

    CodepointPairs(Vocabulary vocabulary) {
        slots = new long[1 << 16];
        for (int id = 0; id < vocabulary.size(); id++) {
            String piece = vocabulary.piece(id);
            int prev = -1;
            for (int i = 0; i < piece.length(); ) {
                int cp = piece.codePointAt(i);
                if (prev >= 0) add(prev, cp);
                prev = cp;
                i += Character.charCount(cp);
            }
        }
    }

    boolean contains(int first, int second) {
        long key = key(first, second);
        int mask = slots.length - 1;
        for (int i = hash(key) & mask; slots[i] != 0; i = (i + 1) & mask) {
            if (slots[i] == key) return true;
        }
        return false;
    }

    private void add(int first, int second) {
        if (2 * (count + 1) > slots.length) grow();
        if (insert(slots, key(first, second))) count++;
    }

    private void grow() {
        long[] bigger = new long[slots.length * 2];
        for (long k : slots) if (k != 0) insert(bigger, k);
        slots = bigger;
    }

    private static boolean insert(long[] table, long key) {
        int mask = table.length - 1;
        int i = hash(key) & mask;
        while (table[i] != 0) {
            if (table[i] == key) return false;
            i = (i + 1) & mask;
        }
        table[i] = key;
        return true;
    }

    private static long key(int first, int second) {
        return (((long) first << 21) | second) + 1;
    }

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
