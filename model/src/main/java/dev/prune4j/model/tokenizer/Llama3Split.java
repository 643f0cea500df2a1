package dev.prune4j.model.tokenizer;

import static dev.prune4j.model.tokenizer.CodepointFlags.isLetter;
import static dev.prune4j.model.tokenizer.CodepointFlags.isNumber;
import static dev.prune4j.model.tokenizer.CodepointFlags.isWhitespaceFlag;

/**
 * The Llama-3 split {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*
 * |\s*[\r\n]+|\s+(?!\S)|\s+}, and Qwen2's, which differs only in taking digits one at a time ({@code \p{N}}), written
 * out as a scanner the way llama.cpp's {@code unicode_regex_split_custom_llama3} / {@code _qwen2} evaluate it.
 */
final class Llama3Split implements SplitStage {
    private final int maxDigits;

    /** @param maxDigits longest run of digits in one word: 3 for Llama-3, 1 for Qwen2 */
    Llama3Split(int maxDigits) {
        this.maxDigits = maxDigits;
    }

    @Override
    public IntList split(int[] cps, IntList pieces) {
        IntList out = new IntList(pieces.size() * 4);
        int start = 0;
        for (int p = 0; p < pieces.size(); p++) {
            int end = start + pieces.get(p);
            splitPiece(new Gpt2Split.Cursor(cps, start, end), out);
            start = end;
        }
        return out;
    }

    private void splitPiece(Gpt2Split.Cursor c, IntList out) {
        int pos = c.start();
        while (pos < c.end()) {
            int cp = c.cp(pos);
            int flags = c.flags(pos);
            int wordStart = pos;
            int next = contraction(c, pos);
            if (next > pos) { // (?i:'s|'t|'re|'ve|'m|'ll|'d)
                out.add(next - pos);
                pos = next;
                continue;
            }
            if (!(cp == '\r' || cp == '\n' || isNumber(flags)) && (isLetter(flags) || isLetter(c.flags(pos + 1)))) {
                pos++; // [^\r\n\p{L}\p{N}]?\p{L}+ : one optional leading non-letter, then letters
                while (isLetter(c.flags(pos))) pos++;
                out.add(pos - wordStart);
                continue;
            }
            if (isNumber(flags)) { // \p{N}{1,maxDigits}, repeated
                int runStart = pos;
                while (isNumber(c.flags(pos))) {
                    pos++;
                    if (pos - runStart >= maxDigits) {
                        out.add(pos - runStart);
                        runStart = pos;
                    }
                }
                if (pos > runStart) out.add(pos - runStart);
                continue;
            }
            int flags2 = cp == ' ' ? c.flags(pos + 1) : flags;
            // ` ?[^\s\p{L}\p{N}]+[\r\n]*`; llama.cpp tests the first code point's own flags for "inside the piece"
            if (!isWhitespaceFlag(flags2) && !isLetter(flags2) && !isNumber(flags2) && flags != 0) {
                if (cp == ' ') pos++;
                while (Gpt2Split.isOther(c.flags(pos))) pos++;
                while (c.cp(pos) == '\r' || c.cp(pos) == '\n') pos++;
                out.add(pos - wordStart);
                continue;
            }
            int spaces = 0;
            int afterLastNewline = -1;
            while (isWhitespaceFlag(c.flags(pos + spaces))) {
                int w = c.cp(pos + spaces);
                if (w == '\r' || w == '\n') afterLastNewline = pos + spaces + 1;
                spaces++;
            }
            if (afterLastNewline >= 0) { // \s*[\r\n]+
                pos = afterLastNewline;
            } else if (spaces > 1 && pos + spaces < c.end()) { // \s+(?!\S)
                pos += spaces - 1;
            } else if (spaces > 0) { // \s+
                pos += spaces;
            } else {
                pos++;
            }
            out.add(pos - wordStart);
        }
    }

    /** End of a contraction in either case at {@code pos}, or {@code pos}. ASCII folding is exact here: no other
     *  code point lower-cases to one of these letters. */
    private static int contraction(Gpt2Split.Cursor c, int pos) {
        if (c.cp(pos) != '\'' || pos + 1 >= c.end()) return pos;
        int a = asciiLower(c.cp(pos + 1));
        if (a == 's' || a == 't' || a == 'm' || a == 'd') return pos + 2;
        if (pos + 2 < c.end()) {
            int b = asciiLower(c.cp(pos + 2));
            if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return pos + 3;
        }
        return pos;
    }

    private static int asciiLower(int cp) {
        return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
    }
}
