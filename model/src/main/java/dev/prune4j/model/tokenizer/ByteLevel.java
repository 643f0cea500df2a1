package dev.prune4j.model.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's reversible map from bytes to printable code points: printable Latin-1 bytes map to themselves, the other
 * 68 bytes (controls, space, 0x7F–0xA0, 0xAD) to U+0100 onwards in byte order, so a space becomes "Ġ" (U+0120).
 */
final class ByteLevel {
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) next++;
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevel() {}

    /** The word's UTF-8 bytes, each replaced by its printable stand-in. */
    static String encode(String word) {
        byte[] utf8 = word.getBytes(StandardCharsets.UTF_8);
        char[] out = new char[utf8.length];
        for (int i = 0; i < utf8.length; i++) out[i] = BYTE_TO_CHAR[utf8[i] & 0xff];
        return new String(out);
    }

    /** The byte a stand-in code point means, or -1 if it is not one. */
    static int byteOf(int cp) {
        return cp >= 0 && cp < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[cp] : -1;
    }
}
