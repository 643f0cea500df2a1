package dev.prune4j.model.tokenizer;

/**
 * llama.cpp's {@code clean_spaces} decoding step (Hugging Face's {@code clean_up_tokenization_spaces}): drops the
 * space before {@code ? ! . ,}, around a lone apostrophe ({@code " ' "}), and before {@code 's 'm 're 've}.
 * Each pass compares with the original neighbours, not the already-cleaned ones, as llama.cpp's in-place loops do.
 */
final class SpaceCleanup {
    private SpaceCleanup() {}

    static String apply(String text) {
        char[] s = text.toCharArray();
        int n = beforePunctuation(s, s.length);
        n = loneApostrophe(s, n);
        n = contractions(s, n);
        return new String(s, 0, n);
    }

    private static int beforePunctuation(char[] s, int n) {
        int kept = n > 0 ? 1 : 0;
        for (int i = 1; i < n; i++) {
            char x = s[i];
            if (s[i - 1] == ' ' && (x == '?' || x == '!' || x == '.' || x == ',')) kept--;
            s[kept++] = x;
        }
        return kept;
    }

    private static int loneApostrophe(char[] s, int n) {
        int kept = n > 0 ? 1 : 0;
        for (int i = 1; i < n; i++) {
            char x = s[i];
            if (x == '\'' && i + 1 < n && s[i - 1] == ' ' && s[i + 1] == ' ') {
                kept--; // the space before
                s[++i] = '\0'; // and the one after, which also stops it counting as "a space before" next time
            }
            s[kept++] = x;
        }
        return kept;
    }

    private static int contractions(char[] s, int n) {
        int kept = n > 0 ? 1 : 0;
        for (int i = 1; i < n; i++) {
            char x = s[i];
            if (s[i - 1] == ' ' && x == '\'' && i + 1 < n) {
                char x1 = s[i + 1];
                if (x1 == 's' || x1 == 'm') {
                    kept--;
                } else if (x1 != 't' && x1 != 'd' && i + 2 < n) {
                    char x2 = s[i + 2];
                    if ((x1 == 'r' && x2 == 'e') || (x1 == 'v' && x2 == 'e')) kept--;
                }
            }
            s[kept++] = x;
        }
        return kept;
    }
}
