package dev.prune4j.eval.zeroshot;

import dev.prune4j.eval.zeroshot.builtin.BuiltinTasks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Resolves task arguments: a built-in task's name or a JSONL file. */
public final class TaskLoader {
    private TaskLoader() {}

    /**
     * @param limit examples per task (the first ones); 0 for all
     * @param seed  seed of the built-in tasks' construction (JSONL tasks keep their file order)
     */
    public static List<Task> load(List<String> specs, int limit, long seed) throws IOException {
        List<Task> tasks = new ArrayList<>();
        for (String spec : specs) {
            Optional<BuiltinTasks> builtin = BuiltinTasks.named(spec);
            if (builtin.isPresent()) {
                tasks.add(builtin.get().load(limit, seed));
            } else if (spec.endsWith(".jsonl")) {
                tasks.add(JsonlTasks.read(Path.of(spec)).limit(limit));
            } else {
                throw new IllegalArgumentException("unknown task " + spec + ": expected a .jsonl file or one of "
                        + "sotu-cloze, sotu-next-sentence, brown-cloze, brown-next-sentence (cloze, next-sentence)");
            }
        }
        return tasks;
    }
}
