package dev.prune4j.model.tokenizer;

import java.util.List;

/**
 * Rewrites a stretch of text before pre-tokenization (Hugging Face normalizers and the prefix-adding parts of
 * pre-tokenizers). Like Hugging Face, it runs on each stretch between added tokens separately.
 */
@FunctionalInterface
interface TextNormalizer {
    TextNormalizer NONE = (text, atStart) -> text;

    /**
     * @param text    one stretch of text between added tokens
     * @param atStart whether the stretch begins the input (Metaspace's {@code prepend_scheme = "first"})
     */
    String normalize(String text, boolean atStart);

    static TextNormalizer chain(List<TextNormalizer> steps) {
        List<TextNormalizer> copy = List.copyOf(steps);
        return (text, atStart) -> {
            for (TextNormalizer step : copy) text = step.normalize(text, atStart);
            return text;
        };
    }
}
