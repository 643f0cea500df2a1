package dev.prune4j.model.tokenizer;

import java.util.Set;

/**
 * Token texts that llama.cpp marks as control tokens when it loads a vocabulary, whatever type the file gives them
 * (end-of-generation, end-of-turn and fill-in-the-middle markers). It matters for encoding: a user-defined token that
 * became control, such as Gemma-3's {@code </s>}, is no longer split out of plain text.
 */
final class ControlTokenTexts {
    private ControlTokenTexts() {}

    /** The end-of-turn / end-of-generation texts of llama.cpp's {@code llama_vocab::impl::load}. */
    static final Set<String> END_OF_GENERATION = Set.of(
            "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>",
            "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]",
            "<|end_of_text|>", "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>",
            "<\uff5cend\u2581of\u2581sentence\uff5c>", "[e~[");

    /**
     * Fill-in-the-middle markers. llama.cpp marks only the first one of each kind it meets while iterating a hash
     * map; a vocabulary holding two candidates of one kind is therefore ambiguous there, and we mark both.
     */
    static final Set<String> FILL_IN_THE_MIDDLE = Set.of(
            "<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<\uff5cfim\u2581begin\uff5c>", "<PRE>", "\u2581<PRE>",
            "<|code_prefix|>", "<|prefix|>",
            "<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<\uff5cfim\u2581hole\uff5c>", "<SUF>", "\u2581<SUF>",
            "<|code_suffix|>", "<|suffix|>",
            "<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<\uff5cfim\u2581end\uff5c>", "<MID>", "\u2581<MID>",
            "<|code_middle|>", "<|middle|>",
            "<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]",
            "<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>",
            "<|file_sep|>");

    static boolean looksLikeControl(String text) {
        return END_OF_GENERATION.contains(text) || FILL_IN_THE_MIDDLE.contains(text);
    }
}
