package dev.prune4j.eval.zeroshot;

import dev.prune4j.model.config.Activation;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.tokenizer.Tokenizer;
import dev.prune4j.tensor.kernels.Rope;

/** A tiny Llama-like config and a character-level tokenizer with ChatML control tokens, for tests without model files. */
public final class TinyModels {
    /** Control tokens 0–3, then newline, then printable ASCII 32–126. */
    static final String[] CONTROL = {"<s>", "</s>", "<|im_start|>", "<|im_end|>"};
    static final int NEWLINE = CONTROL.length, VOCAB = CONTROL.length + 1 + 95;

    private TinyModels() {}

    /** GQA 4/2 heads, 2 blocks, hidden 32, context 256. */
    public static ModelConfig config() {
        return new ModelConfig("llama", 2, 32, VOCAB, 256, new int[] {4, 4}, new int[] {2, 2}, new int[] {48, 48}, 8,
                1e-5f, 10000f, 10000f, 1f, 8, Rope.Layout.NORMAL, 0, 0, Activation.SILU, 1f, false, false, false);
    }

    /** One token per printable ASCII character or newline; other characters become '?'. */
    static class CharTokenizer implements Tokenizer {
        private final boolean addBos;

        CharTokenizer(boolean addBos) {
            this.addBos = addBos;
        }

        @Override
        public int[] encode(String text) {
            int[] ids = new int[text.length()];
            for (int i = 0; i < ids.length; i++) {
                char c = text.charAt(i);
                if (c == '\n') {
                    ids[i] = NEWLINE;
                    continue;
                }
                if (c < 32 || c > 126) c = '?';
                ids[i] = NEWLINE + 1 + c - 32;
            }
            return ids;
        }

        @Override
        public String decode(int[] tokens) {
            StringBuilder sb = new StringBuilder();
            for (int t : tokens) if (!isSpecial(t)) sb.append(piece(t));
            return sb.toString();
        }

        @Override
        public String piece(int token) {
            if (token < CONTROL.length) return CONTROL[token];
            return token == NEWLINE ? "\n" : String.valueOf((char) (token - NEWLINE - 1 + 32));
        }

        @Override
        public boolean isSpecial(int token) { return token < CONTROL.length; }

        @Override
        public int vocabSize() { return VOCAB; }

        @Override
        public int bos() { return 0; }

        @Override
        public int eos() { return 1; }

        @Override
        public boolean addBos() { return addBos; }
    }
}
