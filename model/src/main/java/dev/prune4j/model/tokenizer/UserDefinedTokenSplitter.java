package dev.prune4j.model.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts user-defined tokens (Gemma's {@code "\n\n"}, {@code "<table>"}, runs of spaces and tabs…) out of raw text
 * before the model's algorithm runs, as llama.cpp's {@code tokenizer_st_partition} does with
 * {@code parse_special = false}: each token, longest text first, is matched left to right in the text not yet taken.
 */
final class UserDefinedTokenSplitter {
    /** A piece of the input: raw text {@code [start, end)} when {@code token < 0}, else one token. */
    record Fragment(int start, int end, int token) {
        boolean isText() {
            return token < 0;
        }
    }

    private final Vocabulary vocabulary;

    UserDefinedTokenSplitter(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    List<Fragment> split(String text) {
        List<Fragment> fragments = new ArrayList<>();
        if (text.isEmpty()) return fragments;
        fragments.add(new Fragment(0, text.length(), -1));
        for (int token : vocabulary.userDefinedByLength()) {
            String piece = vocabulary.piece(token);
            if (!text.contains(piece)) continue;
            List<Fragment> next = new ArrayList<>(fragments.size() + 8);
            for (Fragment f : fragments) {
                if (f.isText()) splitOne(text, f, piece, token, next);
                else next.add(f);
            }
            fragments = next;
        }
        return fragments;
    }

    private static void splitOne(String text, Fragment f, String piece, int token, List<Fragment> out) {
        int from = f.start();
        while (true) {
            int at = text.indexOf(piece, from, f.end()); // bounded: never scans past the fragment
            if (at < 0 || at + piece.length() > f.end()) break;
            if (at > from) out.add(new Fragment(from, at, -1));
            out.add(new Fragment(at, at + piece.length(), token));
            from = at + piece.length();
        }
        if (from < f.end()) out.add(new Fragment(from, f.end(), -1));
    }
}
