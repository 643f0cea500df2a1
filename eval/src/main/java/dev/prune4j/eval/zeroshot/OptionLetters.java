package dev.prune4j.eval.zeroshot;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Option letters A, B, C, ... and the first one a model's response names. */
final class OptionLetters {
    private OptionLetters() {}

    static char letter(int index) {
        if (index < 0 || index >= 26) throw new IllegalArgumentException("option index " + index + " has no letter A–Z");
        return (char) ('A' + index);
    }

    /**
     * The index of the first valid option letter that stands alone in {@code response} (not inside a word, so
     * "Because" does not count as B), or -1. "A" at the start of a sentence ("A good answer") does count; that is
     * the usual first-letter rule and why unanswered responses are reported apart.
     */
    static int first(String response, int choices) {
        char last = letter(choices - 1);
        Matcher m = Pattern.compile("(?<![A-Za-z])([A-" + last + "])(?![A-Za-z])").matcher(response);
        return m.find() ? m.group(1).charAt(0) - 'A' : -1;
    }
}
