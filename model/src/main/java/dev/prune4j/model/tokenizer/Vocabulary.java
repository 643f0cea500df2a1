package dev.prune4j.model.tokenizer;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The token table shared by both tokenizers: piece text, score and attribute bits per id, the reverse map, and the
 * user-defined tokens that are split out of text before the model's algorithm runs.
 */
final class Vocabulary {
    private final String[] pieces;
    private final float[] scores; // [n] SentencePiece scores; all zero for byte-level BPE
    private final int[] attributes; // [n] TokenAttributes bits
    private final Map<String, Integer> ids;
    private final int[] byteTokens; // [256] id of "<0xXX>", or -1
    private final int[] userDefinedByLength; // user-defined, non-control tokens, longest text first

    /**
     * @param pieces     token texts; an empty text becomes {@code [EMPTY_i]} as llama.cpp renames it
     * @param scores     per-token scores, or null for all zero
     * @param ggufTypes  per-token GGUF token types, or null for all normal
     */
    Vocabulary(String[] pieces, float[] scores, int[] ggufTypes) {
        int n = pieces.length;
        this.pieces = new String[n];
        this.scores = scores != null ? Arrays.copyOf(scores, n) : new float[n];
        this.attributes = new int[n];
        this.ids = HashMap.newHashMap(n);
        for (int i = 0; i < n; i++) {
            String p = pieces[i].isEmpty() ? "[EMPTY_" + i + "]" : pieces[i];
            this.pieces[i] = p;
            ids.put(p, i); // a duplicated text maps to its last id, as llama.cpp's token_to_id does
            attributes[i] = ggufTypes != null ? TokenAttributes.fromGgufType(ggufTypes[i]) : TokenAttributes.NORMAL;
        }
        markAsLlamaCppDoes();
        byteTokens = new int[256];
        for (int b = 0; b < 256; b++) byteTokens[b] = id(String.format("<0x%02X>", b));
        userDefinedByLength = IntStream.range(0, n)
                .filter(i -> (attributes[i] & TokenAttributes.USER_DEFINED) != 0)
                .filter(i -> (attributes[i] & (TokenAttributes.CONTROL | TokenAttributes.UNKNOWN)) == 0)
                .boxed()
                .sorted(Comparator.comparingInt((Integer i) -> -this.pieces[i].length()).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    /** Control-looking texts become control, control tokens named "unused" become unused (llama.cpp's load rules). */
    private void markAsLlamaCppDoes() {
        for (int i = 0; i < pieces.length; i++) {
            if (ControlTokenTexts.looksLikeControl(pieces[i])) attributes[i] |= TokenAttributes.CONTROL;
            if ((attributes[i] & TokenAttributes.CONTROL) != 0 && pieces[i].contains("unused")) {
                attributes[i] |= TokenAttributes.UNUSED;
            }
        }
    }

    int size() {
        return pieces.length;
    }

    String piece(int id) {
        return pieces[id];
    }

    float score(int id) {
        return scores[id];
    }

    boolean has(int id, int attribute) {
        return (attributes[id] & attribute) != 0;
    }

    /** Control or unknown: llama.cpp renders such a token as nothing unless asked for special tokens. */
    boolean isSpecial(int id) {
        return has(id, TokenAttributes.CONTROL | TokenAttributes.UNKNOWN);
    }

    /** The id of a token text, or -1. */
    int id(String text) {
        Integer id = ids.get(text);
        return id == null ? -1 : id;
    }

    /** The id of the {@code <0xXX>} token for one byte, or -1. */
    int byteToken(int b) {
        return byteTokens[b & 0xff];
    }

    /** The byte value of a {@code <0xXX>} token (llama.cpp reads characters 3 and 4 as hex), or -1 if malformed. */
    int byteValue(int id) {
        String p = pieces[id];
        if (p.length() < 5) return -1;
        try {
            return Integer.parseInt(p.substring(3, 5), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Ids of the user-defined tokens that encoding splits out of raw text, longest text first. */
    int[] userDefinedByLength() {
        return userDefinedByLength;
    }

    void checkId(int id) {
        if (id < 0 || id >= pieces.length) {
            throw new IllegalArgumentException("token id " + id + " outside the vocabulary [0, " + pieces.length + ")");
        }
    }
}
