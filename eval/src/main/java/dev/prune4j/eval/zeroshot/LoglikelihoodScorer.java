package dev.prune4j.eval.zeroshot;

import dev.prune4j.eval.LogSoftmax;
import dev.prune4j.eval.Progress;
import dev.prune4j.model.forward.ForwardHooks;
import dev.prune4j.model.forward.KvCache;
import dev.prune4j.model.forward.Transformer;
import dev.prune4j.model.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Zero-shot multiple choice by log-likelihood, as lm-evaluation-harness scores {@code multiple_choice} tasks: each
 * choice's continuation log-probability given the context; {@code acc} takes the highest sum, {@code acc_norm}
 * the highest sum divided by the choice's length in characters ({@code len(choice)} in lm-eval, which for ASCII
 * text is its length in bytes). The context runs through the model once per example; each choice then runs from
 * the cached context ({@link KvCache#truncate}), so an example costs one context plus its continuations.
 */
public final class LoglikelihoodScorer implements MultipleChoiceScorer {
    /** Rows of logits materialised at once: bounds memory to {@code ROWS * vocab} floats. */
    private static final int ROWS = 64;

    private final Transformer transformer;
    private final ContinuationEncoder encoder;

    /** @param maxLength tokens one choice may span (context + continuation); longer contexts lose their oldest tokens */
    public LoglikelihoodScorer(Transformer transformer, Tokenizer tokenizer, int maxLength) {
        this.transformer = transformer;
        this.encoder = new ContinuationEncoder(tokenizer, maxLength);
    }

    @Override
    public TaskResult evaluate(Task task, Progress progress) {
        long t0 = System.nanoTime();
        List<ContinuationEncoder.Encoded> encoded = new ArrayList<>();
        int capacity = 1;
        for (int i = 0; i < task.examples().size(); i++) {
            try {
                ContinuationEncoder.Encoded e = encoder.encode(task.examples().get(i));
                encoded.add(e);
                capacity = Math.max(capacity, e.context().length + e.longestContinuation());
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("task " + task.name() + ", example " + i + ": " + ex.getMessage());
            }
        }
        KvCache cache = transformer.newCache(capacity);
        int longest = encoded.stream().mapToInt(ContinuationEncoder.Encoded::longestContinuation).max().orElse(1);
        float[] logits = new float[Math.max(1, Math.min(ROWS, longest - 1)) * transformer.config().vocabSize()];
        List<ExampleOutcome> outcomes = new ArrayList<>();
        int correct = 0, correctNorm = 0, truncated = 0;
        for (int i = 0; i < encoded.size(); i++) {
            Example example = task.examples().get(i);
            ContinuationEncoder.Encoded e = encoded.get(i);
            double[] ll = score(e, cache, logits);
            int pred = argmax(ll, null), predNorm = argmax(ll, example);
            if (pred == example.gold()) correct++;
            if (predNorm == example.gold()) correctNorm++;
            if (e.truncated()) truncated++;
            int[] lengths = new int[ll.length];
            for (int c = 0; c < lengths.length; c++) lengths[c] = e.continuations()[c].length;
            outcomes.add(new ExampleOutcome(example.gold(), pred, predNorm, ll, lengths, null));
            progress.update(i + 1, encoded.size());
        }
        int n = encoded.size();
        return new TaskResult(task.name(), task.source(), "loglikelihood", task.chance(), new Proportion(correct, n),
                new Proportion(correctNorm, n), 0, truncated, (System.nanoTime() - t0) / 1e9, outcomes);
    }

    /**
     * Per choice, the summed log-probability of its continuation tokens after the shared context.
     *
     * @param logits scratch of at least {@code min(ROWS, longest continuation - 1)} rows of vocabulary size
     */
    double[] score(ContinuationEncoder.Encoded e, KvCache cache, float[] logits) {
        int vocab = transformer.config().vocabSize();
        int[] context = e.context();
        cache.clear();
        float[] hidden = transformer.forward(context, cache, ForwardHooks.NONE);
        // the last context position predicts every choice's first token
        float[] lastLogits = new float[vocab];
        transformer.logits(hidden, context.length - 1, 1, lastLogits);
        int rowsAtOnce = Math.max(1, logits.length / vocab);
        double[] ll = new double[e.continuations().length];
        for (int c = 0; c < ll.length; c++) {
            int[] cont = e.continuations()[c];
            double sum = LogSoftmax.at(lastLogits, 0, vocab, cont[0]);
            if (cont.length > 1) {
                cache.truncate(context.length);
                // run all but the last continuation token; row r predicts cont[r + 1]
                float[] h = transformer.forward(Arrays.copyOf(cont, cont.length - 1), cache, ForwardHooks.NONE);
                for (int r0 = 0; r0 < cont.length - 1; r0 += rowsAtOnce) {
                    int rows = Math.min(rowsAtOnce, cont.length - 1 - r0);
                    transformer.logits(h, r0, rows, logits);
                    for (int r = 0; r < rows; r++) sum += LogSoftmax.at(logits, r * vocab, vocab, cont[r0 + r + 1]);
                }
            }
            ll[c] = sum;
        }
        return ll;
    }

    /** The first index of the highest score (numpy's argmax); scores divided by choice length when {@code norm} is given. */
    static int argmax(double[] ll, Example norm) {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < ll.length; c++) {
            double s = norm == null ? ll[c] : ll[c] / characters(norm.choices().get(c));
            if (s > bestScore) {
                best = c;
                bestScore = s;
            }
        }
        return best;
    }

    /** Python's {@code len(str)}: code points. */
    static int characters(String s) {
        return s.codePointCount(0, s.length());
    }
}
