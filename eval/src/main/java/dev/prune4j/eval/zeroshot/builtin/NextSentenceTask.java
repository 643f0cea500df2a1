package dev.prune4j.eval.zeroshot.builtin;

import dev.prune4j.eval.zeroshot.Example;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The next-sentence task: the context is up to three consecutive sentences of a document; the choices are the
 * sentence that follows them and three sentences of other documents of the same split with about the same length
 * (0.8–1.25× in characters), so that neither the raw nor the length-normalised score can win by length alone.
 * See {@code docs/data.md}.
 */
public final class NextSentenceTask {
    static final int MIN_WORDS = 6, MAX_WORDS = 50, CONTEXT_SENTENCES = 3, MAX_CONTEXT_WORDS = 120, CHOICES = 4;
    static final double MIN_RATIO = 0.8, MAX_RATIO = 1.25;
    static final String INSTRUCTION = "Which option is the sentence that comes next in the text?";

    private NextSentenceTask() {}

    /** A sentence with its document, as a distractor candidate. */
    private record Sentence(String text, int doc) {}

    /** A gold continuation with its context. */
    private record Candidate(String context, Sentence next) {}

    /**
     * @param documents per document its sentences ({@link Sentences#split})
     * @param limit     examples to make at most (all eligible when {@code <= 0}); a smaller limit gives a prefix of a
     *                  larger one
     */
    public static List<Example> build(List<List<String>> documents, int limit, long seed) {
        List<Candidate> candidates = new ArrayList<>();
        List<Sentence> pool = new ArrayList<>();
        for (int d = 0; d < documents.size(); d++) {
            List<String> doc = documents.get(d);
            for (int s = 0; s < doc.size(); s++) {
                if (!eligible(doc.get(s))) continue;
                Sentence sentence = new Sentence(doc.get(s), d);
                pool.add(sentence);
                String context = context(doc, s);
                if (context != null) candidates.add(new Candidate(context, sentence));
            }
        }
        // by length, ties in text order (a stable sort), so a length window is a contiguous range
        pool.sort(Comparator.comparingInt(x -> x.text().length()));
        Collections.shuffle(candidates, new Random(seed));
        Random pick = new Random(seed + 1);
        List<Example> out = new ArrayList<>();
        for (Candidate c : candidates) {
            if (limit > 0 && out.size() == limit) break;
            int len = c.next().text().length();
            int from = lowerBound(pool, (int) Math.ceil(MIN_RATIO * len));
            int to = lowerBound(pool, (int) Math.floor(MAX_RATIO * len) + 1);
            List<String> choices = new ArrayList<>(List.of(c.next().text()));
            for (int tries = 0; choices.size() < CHOICES && tries < 1000 && to > from; tries++) {
                Sentence s = pool.get(from + pick.nextInt(to - from));
                if (s.doc() != c.next().doc() && !choices.contains(s.text())) choices.add(s.text());
            }
            if (choices.size() < CHOICES) continue;
            choices.remove(0);
            int goldAt = pick.nextInt(CHOICES);
            choices.add(goldAt, c.next().text());
            out.add(new Example(c.context(), choices, goldAt));
        }
        return out;
    }

    private static boolean eligible(String sentence) {
        int words = sentence.split(" ").length;
        return words >= MIN_WORDS && words <= MAX_WORDS;
    }

    /** Up to three sentences before {@code s}, at most 120 words (earliest dropped first); null if fewer than two fit. */
    private static String context(List<String> doc, int s) {
        List<String> parts = new ArrayList<>();
        int words = 0;
        for (int p = s - 1; p >= 0 && parts.size() < CONTEXT_SENTENCES; p--) {
            int w = doc.get(p).split(" ").length;
            if (words + w > MAX_CONTEXT_WORDS) break;
            parts.addFirst(doc.get(p));
            words += w;
        }
        return parts.size() < 2 ? null : String.join(" ", parts);
    }

    /** First index of {@code pool} (sorted by length) whose sentence has at least {@code length} characters. */
    private static int lowerBound(List<Sentence> pool, int length) {
        int lo = 0, hi = pool.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (pool.get(mid).text().length() < length) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
