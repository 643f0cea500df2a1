package dev.prune4j.model.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into the words that byte-level BPE merges within, as a chain of {@link SplitStage}s applied in turn
 * (llama.cpp's {@code unicode_regex_split} with the regex list of one {@code tokenizer.ggml.pre}).
 * <p>
 * Known differences from llama.cpp: code points first assigned in Unicode 16 count as letters/numbers/symbols
 * here and as undefined there ({@link CodepointFlags}); a lone UTF-16 surrogate is its own code point here, while
 * llama.cpp only ever sees valid UTF-8.
 */
final class PreTokenizer {
    private final String name;
    private final List<SplitStage> stages;

    PreTokenizer(String name, List<SplitStage> stages) {
        this.name = name;
        this.stages = List.copyOf(stages);
    }

    String name() {
        return name;
    }

    /** The words of {@code text}, in order; they concatenate back to {@code text}. */
    List<String> words(String text) {
        int[] cps = text.codePoints().toArray();
        IntList pieces = new IntList(1);
        if (cps.length > 0) pieces.add(cps.length);
        for (SplitStage stage : stages) pieces = stage.split(cps, pieces);
        List<String> words = new ArrayList<>(pieces.size());
        int start = 0;
        for (int i = 0; i < pieces.size(); i++) {
            int len = pieces.get(i);
            words.add(new String(cps, start, len));
            start += len;
        }
        return words;
    }

    @Override
    public String toString() {
        return name;
    }
}
