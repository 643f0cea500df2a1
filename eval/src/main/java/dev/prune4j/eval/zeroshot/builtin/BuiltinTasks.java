package dev.prune4j.eval.zeroshot.builtin;

import dev.prune4j.eval.Sha256;
import dev.prune4j.eval.zeroshot.Example;
import dev.prune4j.eval.zeroshot.Task;
import dev.prune4j.model.Assets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The built-in zero-shot tasks, generated from the <b>test</b> splits of the fetched corpora, so they never overlap
 * the calibration split that pruning reads. {@code cloze} and {@code next-sentence} are short names of the SOTU ones.
 */
public enum BuiltinTasks {
    SOTU_CLOZE("sotu-cloze", "sotu:test", true),
    SOTU_NEXT_SENTENCE("sotu-next-sentence", "sotu:test", false),
    BROWN_CLOZE("brown-cloze", "brown:test", true),
    BROWN_NEXT_SENTENCE("brown-next-sentence", "brown:test", false);

    /** Bumped whenever the construction changes, so reports tell examples of different constructions apart. */
    public static final int VERSION = 1;

    public final String taskName;
    /** The text split it is built from: always a test split. */
    public final String split;
    private final boolean cloze;

    BuiltinTasks(String taskName, String split, boolean cloze) {
        this.taskName = taskName;
        this.split = split;
        this.cloze = cloze;
    }

    /** The task of that name ({@code sotu-cloze}, ..., or the short {@code cloze}, {@code next-sentence}). */
    public static Optional<BuiltinTasks> named(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("cloze")) return Optional.of(SOTU_CLOZE);
        if (n.equals("next-sentence")) return Optional.of(SOTU_NEXT_SENTENCE);
        for (BuiltinTasks t : values()) {
            if (t.taskName.equals(n)) return Optional.of(t);
        }
        return Optional.empty();
    }

    /** Builds the task from the fetched split ({@code scripts/fetch-assets.sh --data}). */
    public Task load(int limit, long seed) throws IOException {
        Path text = Assets.resolveText(split);
        if (!Files.isRegularFile(text)) {
            throw new NoSuchFileException(text.toString(), null, "text split " + split + " of task " + taskName
                    + " is missing; run scripts/fetch-assets.sh --data");
        }
        return build(Files.readString(text), split + " (" + text + ", sha256 " + Sha256.of(text) + ")", limit, seed);
    }

    /** Builds the task from the split's text; {@code origin} names the text in the task's source line. */
    public Task build(String text, String origin, int limit, long seed) {
        List<List<String>> docs = Sentences.split(text);
        List<Example> examples = cloze ? ClozeTask.build(docs, limit, seed) : NextSentenceTask.build(docs, limit, seed);
        String source = "built-in " + taskName + " v" + VERSION + " from " + origin + ", seed " + seed;
        return new Task(taskName, source, cloze ? ClozeTask.INSTRUCTION : NextSentenceTask.INSTRUCTION, examples);
    }
}
