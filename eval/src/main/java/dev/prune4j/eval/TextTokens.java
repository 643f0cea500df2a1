package dev.prune4j.eval;

import dev.prune4j.model.tokenizer.Tokenizer;
import java.util.Arrays;

/** The first tokens of a long text without tokenizing all of it. */
public final class TextTokens {
    /** Tokens tokenized beyond the ones kept, so that the cut in the text cannot change a kept token. */
    private static final int SLACK = 64;

    private TextTokens() {}

    /**
     * The first {@code n} tokens of {@code text} (all of them when {@code n <= 0} or the text is shorter), equal to
     * the start of {@code tokenizer.encode(text)}: a growing prefix of the text is tokenized until it yields
     * {@code n} tokens and some to spare.
     */
    public static int[] first(Tokenizer tokenizer, String text, int n) {
        if (n <= 0) return tokenizer.encode(text);
        int chars = Math.max(256, 8 * (n + SLACK));
        while (true) {
            if (chars >= text.length()) {
                int[] all = tokenizer.encode(text);
                return all.length > n ? Arrays.copyOf(all, n) : all;
            }
            int[] ids = tokenizer.encode(text.substring(0, chars));
            if (ids.length >= n + SLACK) return Arrays.copyOf(ids, n);
            chars *= 2;
        }
    }
}
