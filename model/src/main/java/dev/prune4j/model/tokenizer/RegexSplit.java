package dev.prune4j.model.tokenizer;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A split by a regular expression: every match becomes a word and so does every stretch between matches.
 * <p>
 * {@link #llamaCpp} mimics llama.cpp's general fallback for patterns it has no scanner for: each non-ASCII code
 * point is first replaced by one stand-in character for its class (letter, number, punctuation, mark, symbol,
 * whitespace) and {@code \p{L}}-style classes in the pattern are rewritten to match those stand-ins, so the regex
 * engine's own Unicode tables never come into play. {@link #unicode} runs a pattern as written, with Java's Unicode
 * classes, for Hugging Face {@code Split} pre-tokenizers that we have no scanner for.
 */
final class RegexSplit implements SplitStage {
    // ASCII members of each class and the stand-in for the non-ASCII ones, as in llama.cpp's unicode_regex_split
    private static final Map<String, String> CLASS_MEMBERS = Map.of(
            "N", "\\x{D1}0-9",
            "L", "\\x{D2}A-Za-z",
            "P", "\\x{D3}!-#%-*,-/:;?@\\[-\\]_{}",
            "M", "\\x{D4}",
            "S", "\\x{D5}$+<=>\\^`|~");
    private static final Pattern UNICODE_CLASS = Pattern.compile("\\\\p\\{(L[ultmo]?|N|P|M|S)}");

    private final Pattern pattern;
    private final boolean collapse;

    private RegexSplit(Pattern pattern, boolean collapse) {
        this.pattern = pattern;
        this.collapse = collapse;
    }

    /** A pattern as llama.cpp runs it (collapsed classes, ECMAScript-like {@code \s} over ASCII plus a stand-in). */
    static RegexSplit llamaCpp(String regex) {
        return new RegexSplit(Pattern.compile(rewriteClasses(regex)), true);
    }

    /** A pattern run on the real code points with Unicode classes ({@code \s}, {@code \w}, {@code \p{L}}…). */
    static RegexSplit unicode(String regex) {
        return new RegexSplit(Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS), false);
    }

    /** {@code \p{X}} becomes a bracket expression of the stand-in plus the ASCII members (bare inside brackets). */
    static String rewriteClasses(String regex) {
        StringBuilder out = new StringBuilder();
        boolean inside = false;
        for (int i = 0; i < regex.length(); i++) {
            char ch = regex.charAt(i);
            if (ch == '\\' && i + 1 < regex.length()) {
                Matcher m = UNICODE_CLASS.matcher(regex).region(i, regex.length());
                if (m.lookingAt()) {
                    String members = CLASS_MEMBERS.get(m.group(1).substring(0, 1));
                    out.append(inside ? members : "[" + members + "]");
                    i = m.end() - 1;
                } else {
                    out.append(ch).append(regex.charAt(++i)); // keep any other escape whole
                }
                continue;
            }
            if (ch == '[') inside = true;
            else if (ch == ']') inside = false;
            out.append(ch);
        }
        return out.toString();
    }

    @Override
    public IntList split(int[] cps, IntList pieces) {
        String subject = collapse ? collapsed(cps) : null;
        IntList out = new IntList(pieces.size() * 4);
        int start = 0;
        for (int p = 0; p < pieces.size(); p++) {
            int end = start + pieces.get(p);
            if (collapse) splitPiece(subject, start, end, start, out);
            else splitPiece(new String(cps, start, end - start), 0, end - start, 0, out);
            start = end;
        }
        return out;
    }

    /** Matches within {@code subject[from, to)} (one char per code point when collapsed; code points otherwise). */
    private void splitPiece(String subject, int from, int to, int origin, IntList out) {
        Matcher m = pattern.matcher(subject).region(from, to); // opaque bounds: lookarounds stop at the piece
        int done = from;
        while (m.find()) {
            if (m.end() == m.start()) continue; // an empty match cuts nothing
            if (m.start() > done) out.add(cpLength(subject, done, m.start()));
            out.add(cpLength(subject, m.start(), m.end()));
            done = m.end();
        }
        if (to > done) out.add(cpLength(subject, done, to));
    }

    private int cpLength(String subject, int from, int to) {
        return collapse ? to - from : subject.codePointCount(from, to);
    }

    /** One char per code point: ASCII as itself, the rest as a stand-in for its class. */
    static String collapsed(int[] cps) {
        char[] out = new char[cps.length];
        for (int i = 0; i < cps.length; i++) {
            int cp = cps[i];
            if (cp < 128) {
                out[i] = (char) cp;
                continue;
            }
            int flags = CodepointFlags.of(cp);
            if ((flags & CodepointFlags.WHITESPACE) != 0) {
                out[i] = 0x0B; // llama.cpp's stand-in for non-ASCII whitespace: \s matches vertical tab
                continue;
            }
            out[i] = switch (flags & CodepointFlags.CATEGORIES) {
                case CodepointFlags.NUMBER -> 0xD1;
                case CodepointFlags.LETTER -> 0xD2;
                case CodepointFlags.PUNCTUATION -> 0xD3;
                case CodepointFlags.MARK -> 0xD4;
                case CodepointFlags.SYMBOL -> 0xD5;
                default -> 0xD0;
            };
        }
        return new String(out);
    }
}
