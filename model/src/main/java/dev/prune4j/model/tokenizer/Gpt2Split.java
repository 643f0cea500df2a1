package dev.prune4j.model.tokenizer;

import static dev.prune4j.model.tokenizer.CodepointFlags.isLetter;
import static dev.prune4j.model.tokenizer.CodepointFlags.isNumber;
import static dev.prune4j.model.tokenizer.CodepointFlags.isWhitespaceFlag;

/**
 * GPT-2's split {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+}, written out
 * as a scanner the way llama.cpp's {@code unicode_regex_split_custom_gpt2} evaluates it (same order of alternatives,
 * same Unicode classes), so words match llama.cpp's rather than whatever a regex engine's tables say.
 */
final class Gpt2Split implements SplitStage {
    @Override
    public IntList split(int[] cps, IntList pieces) {
        IntList out = new IntList(pieces.size() * 4);
        int start = 0;
        for (int p = 0; p < pieces.size(); p++) {
            int end = start + pieces.get(p);
            splitPiece(cps, start, end, out);
            start = end;
        }
        return out;
    }

    private static void splitPiece(int[] cps, int from, int end, IntList out) {
        Cursor c = new Cursor(cps, from, end);
        int pos = from;
        while (pos < end) {
            int cp = cps[pos];
            int flags = c.flags(pos);
            int next = contraction(c, pos);
            if (next > pos) {
                out.add(next - pos);
                pos = next;
                continue;
            }
            int flags2 = cp == ' ' ? c.flags(pos + 1) : flags;
            int wordStart = pos;
            if (isLetter(flags2) || isNumber(flags2) || isOther(flags2)) { // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`
                int kind = isLetter(flags2) ? 0 : isNumber(flags2) ? 1 : 2;
                if (cp == ' ') pos++;
                while (sameKind(kind, c.flags(pos))) pos++;
                out.add(pos - wordStart);
                continue;
            }
            int spaces = 0;
            while (isWhitespaceFlag(c.flags(pos + spaces))) spaces++;
            if (spaces > 1 && pos + spaces < end) { // `\s+(?!\S)`: leave the last space to the next word
                pos += spaces - 1;
            } else if (spaces > 0) { // `\s+`
                pos += spaces;
            } else {
                pos++;
            }
            out.add(pos - wordStart);
        }
    }

    /** End of a lower-case English contraction at {@code pos}, or {@code pos} if none. */
    private static int contraction(Cursor c, int pos) {
        if (c.cp(pos) != '\'' || pos + 1 >= c.end) return pos;
        int a = c.cp(pos + 1);
        if (a == 's' || a == 't' || a == 'm' || a == 'd') return pos + 2;
        if (pos + 2 < c.end) {
            int b = c.cp(pos + 2);
            if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return pos + 3;
        }
        return pos;
    }

    /** Inside the piece, and neither whitespace, letter nor number. */
    static boolean isOther(int flags) {
        return flags != 0 && !isWhitespaceFlag(flags) && !isLetter(flags) && !isNumber(flags);
    }

    private static boolean sameKind(int kind, int flags) {
        return switch (kind) {
            case 0 -> isLetter(flags);
            case 1 -> isNumber(flags);
            default -> isOther(flags);
        };
    }

    /** Code points and flags of one piece; positions outside it read as code point -1 and flags 0. */
    record Cursor(int[] cps, int start, int end) {
        int cp(int pos) {
            return pos >= start && pos < end ? cps[pos] : -1;
        }

        int flags(int pos) {
            return pos >= start && pos < end ? CodepointFlags.of(cps[pos]) : 0;
        }
    }
}
