package dev.prune4j.eval.zeroshot.builtin;

import dev.prune4j.eval.zeroshot.Example;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * The cloze task: the context is a sentence without its last word (after the sentence before it, when there is
 * one); the choices are that word and three last words of other sentences of the same split. Distractors are drawn
 * from all eligible last words with their repetitions, so a choice's prior frequency as a sentence-final word says
 * nothing about whether it is the answer; only the context does. See {@code docs/data.md}.
 */
public final class ClozeTask {
    /** A sentence qualifies when it ends in a word of 3+ ASCII letters and a full stop, and has 8–60 words. */
    private static final Pattern LAST_WORD = Pattern.compile("[A-Za-z]{3,}\\.");
    static final int MIN_WORDS = 8, MAX_WORDS = 60, CHOICES = 4;
    static final String INSTRUCTION = "Which option is the missing last word of the text?";

    private ClozeTask() {}

    /** A sentence's held-out last word with the text before it. */
    private record Candidate(String context, String word) {}

    /**
     * @param documents per document its sentences ({@link Sentences#split})
     * @param limit     examples to make at most (all eligible sentences when {@code <= 0}); a smaller limit gives a
     *                  prefix of a larger one
     */
    public static List<Example> build(List<List<String>> documents, int limit, long seed) {
        List<Candidate> candidates = new ArrayList<>();
        List<String> finalWords = new ArrayList<>();
        for (List<String> doc : documents) {
            for (int s = 0; s < doc.size(); s++) {
                String[] words = doc.get(s).split(" ");
                String last = words[words.length - 1];
                if (words.length < MIN_WORDS || words.length > MAX_WORDS || !LAST_WORD.matcher(last).matches()) continue;
                String word = last.substring(0, last.length() - 1);
                String head = String.join(" ", Arrays.copyOf(words, words.length - 1));
                String context = s > 0 ? doc.get(s - 1) + " " + head : head;
                candidates.add(new Candidate(context, word));
                finalWords.add(word);
            }
        }
        Collections.shuffle(candidates, new Random(seed));
        Random pick = new Random(seed + 1);
        List<Example> out = new ArrayList<>();
        for (Candidate c : candidates) {
            if (limit > 0 && out.size() == limit) break;
            String gold = c.word();
            List<String> choices = new ArrayList<>(List.of(gold));
            // bounded tries: a split whose final words are nearly all the same word yields no example here
            for (int tries = 0; choices.size() < CHOICES && tries < 1000; tries++) {
                String w = finalWords.get(pick.nextInt(finalWords.size()));
                if (choices.stream().noneMatch(x -> x.toLowerCase(Locale.ROOT).equals(w.toLowerCase(Locale.ROOT)))) choices.add(w);
            }
            if (choices.size() < CHOICES) continue;
            choices.remove(0);
            int goldAt = pick.nextInt(CHOICES);
            choices.add(goldAt, gold);
            out.add(new Example(c.context(), choices, goldAt));
        }
        return out;
    }
}
