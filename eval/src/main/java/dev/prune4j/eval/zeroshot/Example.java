package dev.prune4j.eval.zeroshot;

import java.util.List;

/**
 * One multiple-choice item: the model reads {@code context} and each choice is scored as its continuation,
 * {@code context + " " + choice} (lm-evaluation-harness's default target delimiter).
 *
 * @param context the text before the answer; may be empty
 * @param choices the candidate continuations, without the leading delimiter; none empty
 * @param gold    index of the correct choice
 */
public record Example(String context, List<String> choices, int gold) {
    public Example {
        choices = List.copyOf(choices);
        if (choices.size() < 2) throw new IllegalArgumentException("an example needs at least 2 choices, got " + choices.size());
        if (gold < 0 || gold >= choices.size()) {
            throw new IllegalArgumentException("gold index " + gold + " outside the " + choices.size() + " choices");
        }
        for (String c : choices) {
            if (c.isEmpty()) throw new IllegalArgumentException("a choice is empty (acc_norm divides by its length)");
        }
    }
}
