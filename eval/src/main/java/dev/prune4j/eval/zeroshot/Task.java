package dev.prune4j.eval.zeroshot;

import java.util.List;

/**
 * A named list of multiple-choice examples and where they came from, written into every report so that a number
 * can be traced to the exact data it was measured on.
 *
 * @param name        short name, e.g. {@code sotu-cloze} or the JSONL file's base name
 * @param source      how the examples were obtained (file and sha256, or the generator, its split and seed)
 * @param instruction one line telling an instruction-tuned model what to choose (generative mode only)
 * @param examples    the items, in evaluation order
 */
public record Task(String name, String source, String instruction, List<Example> examples) {
    public Task {
        examples = List.copyOf(examples);
        if (examples.isEmpty()) throw new IllegalArgumentException("task " + name + " has no examples");
    }

    /** The first {@code limit} examples (all when {@code limit <= 0}). */
    public Task limit(int limit) {
        if (limit <= 0 || limit >= examples.size()) return this;
        return new Task(name, source, instruction, examples.subList(0, limit));
    }

    /** Accuracy of guessing uniformly: the mean of 1/choices over the examples. */
    public double chance() {
        return examples.stream().mapToDouble(e -> 1.0 / e.choices().size()).average().orElse(0);
    }
}
