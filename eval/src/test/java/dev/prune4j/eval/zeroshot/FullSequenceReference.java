package dev.prune4j.eval.zeroshot;

import dev.prune4j.model.forward.ForwardHooks;
import dev.prune4j.model.forward.KvCache;
import dev.prune4j.model.forward.Transformer;
import dev.prune4j.model.tokenizer.Tokenizer;
import java.util.Arrays;

/**
 * The oracle for the scorer tests, written apart from it: every choice as its own full sequence through a fresh
 * cache, all logits at once, log-softmax in double. It spells out lm-evaluation-harness's request rules itself.
 */
final class FullSequenceReference {
    private FullSequenceReference() {}

    static double[] logLikelihoods(Transformer t, Tokenizer tok, Example e) {
        double[] out = new double[e.choices().size()];
        for (int c = 0; c < out.length; c++) {
            String context = e.context();
            String continuation = " " + e.choices().get(c);
            while (!context.isEmpty() && Character.isWhitespace(context.charAt(context.length() - 1))) {
                continuation = context.charAt(context.length() - 1) + continuation;
                context = context.substring(0, context.length() - 1);
            }
            int[] ctx = tok.encode(context);
            int[] whole = tok.encode(context + continuation);
            int[] cont = Arrays.copyOfRange(whole, ctx.length, whole.length);
            int[] prefix = tok.addBos() ? new int[] {tok.bos()} : ctx.length == 0 ? new int[] {tok.bos() >= 0 ? tok.bos() : tok.eos()} : new int[0];
            int[] seq = new int[prefix.length + ctx.length + cont.length];
            System.arraycopy(prefix, 0, seq, 0, prefix.length);
            System.arraycopy(ctx, 0, seq, prefix.length, ctx.length);
            System.arraycopy(cont, 0, seq, prefix.length + ctx.length, cont.length);
            KvCache cache = t.newCache(seq.length);
            float[] hidden = t.forward(seq, cache, ForwardHooks.NONE);
            int vocab = t.config().vocabSize();
            float[] logits = new float[seq.length * vocab];
            t.logits(hidden, 0, seq.length, logits);
            for (int j = seq.length - cont.length; j < seq.length; j++) out[c] += logProb(logits, (j - 1) * vocab, vocab, seq[j]);
        }
        return out;
    }

    private static double logProb(float[] logits, int off, int vocab, int target) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) max = Math.max(max, logits[off + i]);
        double sum = 0;
        for (int i = 0; i < vocab; i++) sum += Math.exp(logits[off + i] - max);
        return logits[off + target] - max - Math.log(sum);
    }

    /** numpy's argmax of {@code ll}, or of {@code ll[i] / len(choice i)} when {@code perCharacter}. */
    static int argmax(double[] ll, Example e, boolean perCharacter) {
        int best = 0;
        for (int i = 1; i < ll.length; i++) {
            if (score(ll, e, i, perCharacter) > score(ll, e, best, perCharacter)) best = i;
        }
        return best;
    }

    static double score(double[] ll, Example e, int i, boolean perCharacter) {
        return perCharacter ? ll[i] / e.choices().get(i).length() : ll[i];
    }
}
