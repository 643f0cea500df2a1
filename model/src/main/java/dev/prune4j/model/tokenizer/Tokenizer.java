package dev.prune4j.model.tokenizer;

/**
 * Text to token ids and back, exactly as llama.cpp tokenizes for the same model file.
 * {@link #encode(String)} never adds BOS/EOS and does not parse special-token text (llama.cpp's
 * {@code parse_special = false}); callers add BOS where {@link #addBos()} says the model expects it.
 */
public interface Tokenizer {
    /** Token ids of {@code text}, without BOS/EOS. */
    int[] encode(String text);

    /** The text of a token sequence (byte-fallback and byte-level pieces joined back into UTF-8). */
    String decode(int[] tokens);

    /** The vocabulary entry of one token as stored in the model. */
    String piece(int token);

    /**
     * Whether a token is a control or unknown token (BOS, EOS, chat markers, unused slots): {@link #decode} renders
     * it as nothing, as llama.cpp does without {@code special = true}.
     */
    boolean isSpecial(int token);

    int vocabSize();

    /** BOS id, or -1 if the model has none. */
    int bos();

    /** EOS id, or -1 if the model has none. */
    int eos();

    /** Whether the model expects BOS in front of a sequence ({@code tokenizer.ggml.add_bos_token}). */
    boolean addBos();
}
