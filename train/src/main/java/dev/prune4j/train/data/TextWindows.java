package dev.prune4j.train.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Plain text as language-model windows: the token stream is cut into consecutive non-overlapping windows of
 * {@code seqLen} predicted tokens, the same cut as the perplexity protocol. With a BOS token each window is
 * {@code BOS + tokens} and every token is predicted; without, each window predicts its own tokens 2..n+1.
 */
public final class TextWindows {
    private TextWindows() {}

    /**
     * @param text whole text, tokenized once
     * @param bos  BOS id, or -1 when the model adds none
     */
    public static List<Example> of(int[] text, int seqLen, int bos) {
        if (seqLen < 2) throw new IllegalArgumentException("sequence length must be at least 2, got " + seqLen);
        List<Example> out = new ArrayList<>();
        int step = seqLen;
        int need = bos >= 0 ? seqLen : seqLen + 1; // tokens consumed by one window (inputs and targets)
        for (int from = 0; from + need <= text.length; from += step) {
            int[] tokens = new int[seqLen], targets = new int[seqLen];
            for (int i = 0; i < seqLen; i++) {
                if (bos >= 0) {
                    tokens[i] = i == 0 ? bos : text[from + i - 1];
                    targets[i] = text[from + i];
                } else {
                    tokens[i] = text[from + i];
                    targets[i] = text[from + i + 1];
                }
            }
            out.add(new Example(tokens, targets));
        }
        if (out.isEmpty()) throw new IllegalArgumentException("text of " + text.length + " tokens is shorter than one window of " + need);
        return out;
    }
}
