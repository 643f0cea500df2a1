package dev.prune4j.prune.structure.llamacpp;

import dev.prune4j.model.forward.ForwardHooks;
import dev.prune4j.model.forward.KvCache;
import dev.prune4j.model.forward.Transformer;
import java.util.Arrays;

/**
 * Perplexity by the project's protocol (consecutive windows, BOS per window when the model adds it, else the first
 * token of each window unscored), the same rule as {@code tools/reference/llama-ppl.mjs}. The product's evaluator
 * lives in {@code eval}, which {@code prune} does not depend on; this is the few lines a test needs.
 */
final class WindowPerplexity {
    private WindowPerplexity() {}

    /** @return {mean NLL, scored tokens} */
    static double[] evaluate(Transformer t, int[] tokens, int window, int bos) {
        int vocab = t.config().vocabSize();
        double nll = 0;
        int scored = 0;
        KvCache cache = t.newCache(window + 1);
        float[] logits = new float[vocab];
        for (int from = 0; from < tokens.length; from += window) {
            int[] w = Arrays.copyOfRange(tokens, from, Math.min(tokens.length, from + window));
            int[] seq = w;
            if (bos >= 0) {
                seq = new int[w.length + 1];
                seq[0] = bos;
                System.arraycopy(w, 0, seq, 1, w.length);
            }
            cache.clear();
            float[] hidden = t.forward(seq, cache, ForwardHooks.NONE);
            for (int p = 0; p + 1 < seq.length; p++) {
                t.logits(hidden, p, 1, logits);
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (float v : logits) max = Math.max(max, v);
                for (float v : logits) sum += Math.exp(v - max);
                nll -= logits[seq[p + 1]] - max - Math.log(sum);
                scored++;
            }
        }
        return new double[] {nll / scored, scored};
    }
}
