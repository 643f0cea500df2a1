package dev.prune4j.cli;

import dev.prune4j.model.tokenizer.Tokenizer;
import java.util.Arrays;

/**
 * Turns a growing token sequence into printable text piece by piece: decodes everything so far and prints only
 * the new suffix, so byte-fallback tokens that together form one UTF-8 character print correctly.
 */
final class StreamingDecoder {
    private final Tokenizer tokenizer;
    private int[] tokens = new int[0];
    private int printed;

    StreamingDecoder(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    String append(int token) {
        tokens = Arrays.copyOf(tokens, tokens.length + 1);
        tokens[tokens.length - 1] = token;
        String text = tokenizer.decode(tokens);
        // hold back an incomplete UTF-8 sequence (decoded as U+FFFD) until its remaining bytes arrive
        if (text.endsWith("\uFFFD")) return "";
        String fresh = text.length() > printed ? text.substring(printed) : "";
        printed = text.length();
        return fresh;
    }
}
