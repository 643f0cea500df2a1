package dev.prune4j.eval.bench;

import dev.prune4j.eval.Progress;
import dev.prune4j.model.forward.ForwardHooks;
import dev.prune4j.model.forward.KvCache;
import dev.prune4j.model.forward.Transformer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Prefill and decode speed of a model at a few prompt lengths, batch 1, greedy: what a user of the pruned model
 * waits for. Prompts are the first tokens of a text, so attention sees real positions and real tokens.
 */
public final class SpeedBenchmark {
    private final Transformer transformer;

    public SpeedBenchmark(Transformer transformer) {
        this.transformer = transformer;
    }

    /**
     * @param text tokens to take prompts from (BOS first when the model adds it); must hold the longest prompt
     */
    public List<SpeedRow> run(int[] text, SpeedSettings settings, Progress progress) {
        int longest = Arrays.stream(settings.promptLengths()).max().orElseThrow();
        if (text.length < longest) {
            throw new IllegalArgumentException("the benchmark text has " + text.length + " tokens; the longest prompt needs " + longest);
        }
        int context = transformer.config().contextLength();
        if (longest + settings.decodeTokens() + 1 > context) {
            throw new IllegalArgumentException("prompt of " + longest + " plus " + settings.decodeTokens()
                    + " decode tokens exceeds the model's context of " + context);
        }
        KvCache cache = transformer.newCache(longest + settings.decodeTokens() + 1);
        int runsPerLength = settings.warmups() + settings.repetitions();
        int total = settings.promptLengths().length * runsPerLength, done = 0;
        List<SpeedRow> rows = new ArrayList<>();
        for (int length : settings.promptLengths()) {
            int[] prompt = Arrays.copyOf(text, length);
            double[] ttft = new double[settings.repetitions()], decode = new double[settings.repetitions()];
            for (int run = 0; run < runsPerLength; run++) {
                double[] t = once(prompt, settings.decodeTokens(), cache);
                if (run >= settings.warmups()) {
                    ttft[run - settings.warmups()] = t[0];
                    decode[run - settings.warmups()] = t[1];
                }
                progress.update(++done, total);
            }
            double ttftSeconds = median(ttft), decodeSeconds = median(decode);
            rows.add(new SpeedRow(length, length / ttftSeconds, ttftSeconds * 1e3, settings.decodeTokens(),
                    settings.decodeTokens() / decodeSeconds));
        }
        return rows;
    }

    /** One generation: {seconds to the first token, seconds of the decode steps}. */
    private double[] once(int[] prompt, int decodeTokens, KvCache cache) {
        int vocab = transformer.config().vocabSize();
        float[] logits = new float[vocab];
        cache.clear();
        long t0 = System.nanoTime();
        float[] hidden = transformer.forward(prompt, cache, ForwardHooks.NONE);
        transformer.logits(hidden, prompt.length - 1, 1, logits);
        int next = argmax(logits);
        long t1 = System.nanoTime();
        for (int i = 0; i < decodeTokens; i++) {
            hidden = transformer.forward(new int[] {next}, cache, ForwardHooks.NONE);
            transformer.logits(hidden, 0, 1, logits);
            next = argmax(logits);
        }
        long t2 = System.nanoTime();
        return new double[] {(t1 - t0) / 1e9, (t2 - t1) / 1e9};
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
