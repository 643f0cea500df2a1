package dev.prune4j.eval.report;

import dev.prune4j.eval.bench.SpeedRow;
import dev.prune4j.eval.zeroshot.Proportion;
import dev.prune4j.eval.zeroshot.TaskResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The comparison as a markdown page: protocol first, then identity and size, quality, speed, and the charts. */
public final class MarkdownReport {
    private MarkdownReport() {}

    public static String render(ComparisonReport r, List<String> chartFiles) {
        StringBuilder md = new StringBuilder("# prune4j comparison\n\n## Protocol\n\n");
        for (Map.Entry<String, String> e : r.protocol().asMap().entrySet()) {
            md.append("- **").append(e.getKey()).append("**: ").append(e.getValue().replace("\n", "\n  ")).append('\n');
        }
        models(md, r);
        quality(md, r);
        speed(md, r);
        if (!chartFiles.isEmpty()) {
            md.append("\n## Charts\n\n");
            for (String f : chartFiles) md.append("![").append(f).append("](").append(f).append(")\n\n");
        }
        return md.toString();
    }

    /** The file name without a {@code .gguf} extension: short enough for table rows and chart legends. */
    public static String label(ModelFacts f) {
        String n = Path.of(f.path()).getFileName().toString();
        return n.endsWith(".gguf") ? n.substring(0, n.length() - 5) : n;
    }

    private static void models(StringBuilder md, ComparisonReport r) {
        md.append("\n## Models\n\n| # | model | sha256 | size on disk | stored as | parameters | block-linear zeros | removed vs #1 | BOS |\n")
                .append("|---|---|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < r.models().size(); i++) {
            ModelFacts f = r.models().get(i).facts();
            md.append(String.format(Locale.ROOT, "| %d | `%s` | `%s…` | %.1f MB | %s | %,d | %.2f%% | %.2f%% | %s |%n", i + 1,
                    label(f), f.sha256().substring(0, 16), f.fileBytes() / 1e6, f.storedTypes(), f.parameters(),
                    100 * f.linearSparsity(), 100 * r.removed(i), f.bos() >= 0 ? "yes (" + f.bos() + ")" : "no"));
        }
        md.append("\nsha256 of the files measured:\n\n");
        for (ModelEvaluation m : r.models()) {
            md.append("- `").append(label(m.facts())).append("`: `").append(m.facts().sha256()).append("`\n");
        }
    }

    private static void quality(StringBuilder md, ComparisonReport r) {
        List<String> tasks = r.taskNames();
        boolean ppl = r.models().stream().anyMatch(m -> m.perplexity() != null);
        if (tasks.isEmpty() && !ppl) return;
        md.append("\n## Quality\n\nAccuracy ± standard error, [Wilson 95% interval]. `acc`: highest log-likelihood; "
                + "`acc_norm`: highest log-likelihood per character of the choice.\n\n| model | removed |");
        if (ppl) md.append(" perplexity |");
        StringBuilder rule = new StringBuilder("|---|---|" + (ppl ? "---|" : ""));
        for (String t : tasks) {
            md.append(' ').append(t).append(" acc | ").append(t).append(" acc_norm |");
            rule.append("---|---|");
        }
        md.append('\n').append(rule).append('\n');
        for (int i = 0; i < r.models().size(); i++) {
            ModelEvaluation m = r.models().get(i);
            md.append(String.format(Locale.ROOT, "| `%s` | %.1f%% |", label(m.facts()), 100 * r.removed(i)));
            if (ppl) md.append(m.perplexity() == null ? " – |" : String.format(Locale.ROOT, " %.3f |", m.perplexity().perplexity()));
            for (String t : tasks) {
                Optional<TaskResult> res = m.zeroShot().stream().filter(x -> x.task().equals(t)).findFirst();
                md.append(' ').append(res.map(x -> cell(x.acc())).orElse("–")).append(" | ");
                md.append(res.map(x -> x.accNorm() == null ? "n/a" : cell(x.accNorm())).orElse("–")).append(" |");
            }
            md.append('\n');
        }
        if (!tasks.isEmpty()) {
            md.append("| chance | |").append(ppl ? " |" : "");
            for (String t : tasks) {
                double chance = r.models().stream().flatMap(m -> m.zeroShot().stream()).filter(x -> x.task().equals(t))
                        .findFirst().map(TaskResult::chance).orElse(Double.NaN);
                md.append(String.format(Locale.ROOT, " %.3f | %.3f |", chance, chance));
            }
            md.append('\n');
        }
    }

    static String cell(Proportion p) {
        double[] ci = p.wilson95();
        return String.format(Locale.ROOT, "%.3f ± %.3f [%.3f, %.3f]", p.value(), p.stderr(), ci[0], ci[1]);
    }

    private static void speed(StringBuilder md, ComparisonReport r) {
        List<Integer> lengths = r.promptLengths();
        if (lengths.isEmpty()) return;
        md.append("\n## Speed (batch 1, greedy)\n\n| model | size on disk |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (int n : lengths) {
            md.append(" prefill tok/s @").append(n).append(" | TTFT ms @").append(n).append(" | decode tok/s @").append(n).append(" |");
            rule.append("---|---|---|");
        }
        md.append(" live heap | peak heap | peak RSS |\n").append(rule).append("---|---|---|\n");
        for (ModelEvaluation m : r.models()) {
            md.append(String.format(Locale.ROOT, "| `%s` | %.1f MB |", label(m.facts()), m.facts().fileBytes() / 1e6));
            for (int n : lengths) {
                Optional<SpeedRow> row = m.speed().stream().filter(x -> x.promptTokens() == n).findFirst();
                md.append(row.map(x -> String.format(Locale.ROOT, " %.1f | %.0f | %.1f |", x.prefillTokensPerSecond(),
                        x.timeToFirstTokenMs(), x.decodeTokensPerSecond())).orElse(" – | – | – |"));
            }
            if (m.memory() == null) {
                md.append(" – | – | – |\n");
            } else {
                md.append(String.format(Locale.ROOT, " %.0f MB | %.0f MB | %s |%n", m.memory().liveHeapBytes() / 1e6, m.memory().heapBytes() / 1e6,
                        m.memory().rssBytes() < 0 ? "–" : String.format(Locale.ROOT, "%.0f MB", m.memory().rssBytes() / 1e6)));
            }
        }
        md.append("\nLive heap: the Java heap still in use after a full collection at the end, with the model loaded (its "
                + "weights and tokenizer). Peak heap: the Java heap in use at its highest from loading the model to the "
                + "end of its measurements, garbage not yet collected included. "
                + "Peak RSS: the process's resident set at its highest over the same span when the kernel allowed "
                + "resetting it, else since the JVM started (then it includes earlier models). The JVM keeps heap it "
                + "once used, so RSS of a later model can include an earlier one's.\n");
    }
}
