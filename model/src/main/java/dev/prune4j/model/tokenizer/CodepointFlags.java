package dev.prune4j.model.tokenizer;

/**
 * Unicode classes of a code point as llama.cpp's pre-tokenizers see them: one general-category bit (letter,
 * number, punctuation…) plus a whitespace bit from the Unicode White_Space property. Java's own tables give the
 * categories; they follow Unicode 16 while llama.cpp's generated table follows Unicode 15.1, so the ~5,200 code points
 * first assigned in Unicode 16 are "undefined" there and letters/numbers/symbols here (see docs in
 * {@link PreTokenizer}).
 */
final class CodepointFlags {
    static final int UNDEFINED = 0x0001;
    static final int NUMBER = 0x0002;
    static final int LETTER = 0x0004;
    static final int SEPARATOR = 0x0008;
    static final int MARK = 0x0010;
    static final int PUNCTUATION = 0x0020;
    static final int SYMBOL = 0x0040;
    static final int CONTROL = 0x0080;
    static final int CATEGORIES = 0x00ff;
    static final int WHITESPACE = 0x0100;

    private CodepointFlags() {}

    /** The flags of one code point; never 0, so 0 can mean "outside the piece". */
    static int of(int cp) {
        int category = switch (Character.getType(cp)) {
            case Character.UNASSIGNED -> UNDEFINED;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> SEPARATOR;
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK -> MARK;
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> PUNCTUATION;
            case Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL,
                 Character.OTHER_SYMBOL -> SYMBOL;
            default -> CONTROL; // Cc, Cf, Cs, Co
        };
        return isWhitespace(cp) ? category | WHITESPACE : category;
    }

    /**
     * The Unicode White_Space property (what {@code \s} means to Python, Rust and llama.cpp). Unlike
     * {@link Character#isWhitespace} it includes the no-break spaces and U+0085, and excludes U+001C–U+001F.
     */
    static boolean isWhitespace(int cp) {
        return switch (cp) {
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }

    static boolean isLetter(int flags) {
        return (flags & LETTER) != 0;
    }

    static boolean isNumber(int flags) {
        return (flags & NUMBER) != 0;
    }

    static boolean isWhitespaceFlag(int flags) {
        return (flags & WHITESPACE) != 0;
    }
}
