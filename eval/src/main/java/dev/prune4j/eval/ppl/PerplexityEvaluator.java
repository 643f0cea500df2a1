package dev.prune4j.eval.ppl;

import dev.prune4j.eval.LogSoftmax;
import dev.prune4j.eval.Progress;
import dev.prune4j.model.forward.ForwardHooks;
import dev.prune4j.model.forward.KvCache;
import dev.prune4j.model.forward.Transformer;
import java.util.Arrays;

/** Perplexity by {@link PerplexityProtocol}: log-softmax of every scored position, computed in row chunks. */
public final class PerplexityEvaluator {
    /** Rows of logits materialised at once: bounds memory to {@code ROWS * vocab} floats. */
    private static final int ROWS = 64;

    private final Transformer transformer;

    public PerplexityEvaluator(Transformer transformer) {
        this.transformer = transformer;
    }

    public PerplexityResult evaluate(int[] textTokens, PerplexityProtocol protocol, Progress progress) {
        int n = protocol.maxTokens() > 0 ? Math.min(protocol.maxTokens(), textTokens.length) : textTokens.length;
        int windows = (n + protocol.window() - 1) / protocol.window();
        boolean bos = protocol.bos() >= 0;
        int vocab = transformer.config().vocabSize();
        KvCache cache = transformer.newCache(protocol.window() + (bos ? 1 : 0));
        float[] logits = new float[ROWS * vocab];
        float[] logProbs = new float[n];
        int scored = 0;
        double nll = 0;
        long t0 = System.nanoTime();
        for (int w = 0; w < windows; w++) {
            int from = w * protocol.window();
            int to = Math.min(n, from + protocol.window());
            int[] seq = bos ? prepend(protocol.bos(), textTokens, from, to) : Arrays.copyOfRange(textTokens, from, to);
            cache.clear();
            float[] hidden = transformer.forward(seq, cache, ForwardHooks.NONE);
            // position p predicts seq[p + 1]
            for (int p0 = 0; p0 < seq.length - 1; p0 += ROWS) {
                int rows = Math.min(ROWS, seq.length - 1 - p0);
                transformer.logits(hidden, p0, rows, logits);
                for (int r = 0; r < rows; r++) {
                    float lp = LogSoftmax.at(logits, r * vocab, vocab, seq[p0 + r + 1]);
                    logProbs[scored++] = lp;
                    nll -= lp;
                }
            }
            progress.update(w + 1, windows);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new PerplexityResult(scored, nll / Math.max(scored, 1), windows, seconds, Arrays.copyOf(logProbs, scored));
    }

    private static int[] prepend(int first, int[] tokens, int from, int to) {
        int[] seq = new int[to - from + 1];
        seq[0] = first;
        System.arraycopy(tokens, from, seq, 1, to - from);
        return seq;
    }
}
