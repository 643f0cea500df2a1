package dev.prune4j.train.run;

import dev.prune4j.model.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A training run's {@code report.md}: the settings, the results, the loss curve and the per-step log at a glance. */
public final class RunReport {
    private RunReport() {}

    /**
     * @param curvePng file name of the loss curve beside the report
     * @param notes    free lines appended at the end (how to evaluate, where the files are)
     */
    public static void write(Path file, String title, Map<String, Object> settings, Map<String, Object> results,
                             List<Trainer.StepResult> history, String curvePng, List<String> notes) throws IOException {
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
        md.append("## Settings\n\n| setting | value |\n|---|---|\n");
        settings.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        md.append("\n## Results\n\n| result | value |\n|---|---|\n");
        results.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        md.append("\n![training loss](").append(curvePng).append(")\n\n");
        md.append("## Steps\n\n| step | loss | lr | grad norm | tokens/s |\n|---|---|---|---|---|\n");
        int every = Math.max(1, history.size() / 20);
        for (int i = 0; i < history.size(); i++) {
            if (i % every != 0 && i != history.size() - 1) continue;
            Trainer.StepResult r = history.get(i);
            md.append(String.format("| %d | %.4f | %.2e | %.3f | %.1f |%n", r.step() + 1, r.loss(), r.lr(), r.gradNorm(), r.tokens() / r.seconds()));
        }
        if (!notes.isEmpty()) {
            md.append("\n");
            notes.forEach(n -> md.append(n).append("\n"));
        }
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = AtomicFiles.newTempFile(abs);
        try {
            Files.writeString(tmp, md);
            AtomicFiles.moveIntoPlace(tmp, abs);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
