package dev.prune4j.prune.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.prune4j.prune.pipeline.LinearRecord;
import dev.prune4j.prune.recipe.RecipeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes a pruning run's report into a folder: report.json, report.md, layers.png and the recipe it ran. */
public final class ReportWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS);

    private ReportWriter() {}

    public static void write(Path dir, PruneReport report) throws IOException {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve("report.json").toFile(), report);
        Files.writeString(dir.resolve("recipe.yaml"), RecipeFiles.toYaml(report.recipe()));
        LayerChart.write(dir.resolve("layers.png"), report.model().get("name") + ": " + describe(report), report.layers());
        Files.writeString(dir.resolve("report.md"), markdown(report));
    }

    static String describe(PruneReport r) {
        String target = r.recipe().pattern() != null ? r.recipe().pattern()
                : String.format(Locale.ROOT, "%.0f%% %s", r.recipe().sparsity() * 100, r.recipe().allocation());
        return r.recipe().method() + " " + target;
    }

    static String markdown(PruneReport r) {
        StringBuilder md = new StringBuilder();
        md.append("# prune4j report: ").append(r.model().get("name")).append(", ").append(describe(r)).append("\n\n");
        md.append("prune4j ").append(r.prune4jVersion()).append(", started ").append(r.started()).append(".\n\n");
        md.append("## Result\n\n| | before | after |\n|---|---|---|\n");
        Map<String, Object> ppl = r.perplexity();
        if (ppl != null && ppl.get("after") instanceof Map<?, ?> a) {
            String before = ppl.get("before") instanceof Map<?, ?> b
                    ? String.format(Locale.ROOT, "%.3f", ((Number) b.get("perplexity")).doubleValue()) : "not measured";
            md.append(String.format(Locale.ROOT, "| perplexity (%s) | %s | %.3f |%n", ppl.get("protocol"), before,
                    ((Number) a.get("perplexity")).doubleValue()));
        }
        md.append(String.format(Locale.ROOT, "| zero weights in pruned linears | 0 | %.2f%% |%n", 100 * overallSparsity(r.linears())));
        if (r.output() != null) md.append("| model file | | ").append(r.output().get("path")).append(" (")
                .append(r.output().get("format")).append(", ").append(r.output().get("bytes")).append(" bytes) |\n");
        md.append("\n## Protocol\n\n");
        md.append("- model: `").append(r.model().get("source")).append("` (sha256 `").append(r.model().get("sha256")).append("`)\n");
        md.append("- calibration: ").append(r.calibration()).append('\n');
        if (ppl != null) md.append("- perplexity: ").append(ppl.get("text")).append(", ").append(ppl.get("protocol")).append('\n');
        md.append("- recipe (also in `recipe.yaml`):\n\n```yaml\n").append(RecipeFiles.toYaml(r.recipe())).append("```\n\n");
        md.append("## Time and memory\n\n| phase | seconds |\n|---|---|\n");
        r.timings().forEach((k, v) -> md.append(String.format(Locale.ROOT, "| %s | %.1f |%n", k, v)));
        md.append("\n| memory | MiB |\n|---|---|\n");
        r.memory().forEach((k, v) -> md.append(String.format(Locale.ROOT, "| %s | %s |%n", k, v < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f", v / 1048576.0))));
        if (!r.warnings().isEmpty()) {
            md.append("\n## Warnings\n\n");
            r.warnings().forEach(w -> md.append("- ").append(w).append('\n'));
        }
        md.append("\n## Per layer\n\n![per-layer sparsity and error](layers.png)\n\n");
        md.append("| layer | target | sparsity | OWL outlier ratio | attention error | MLP error | max error |\n|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> l : r.layers()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %.2f%% | %s | %s | %s | %s |%n", l.get("layer"), l.get("target"),
                    100 * ((Number) l.get("sparsity")).doubleValue(), l.get("outlier_ratio") instanceof Number n
                            ? String.format(Locale.ROOT, "%.4f", n.doubleValue()) : "", pct(l.get("attention_error")),
                    pct(l.get("mlp_error")), pct(l.get("max_error"))));
        }
        md.append("\nErrors are relative output errors ‖X(W−Ŵ)ᵀ‖²/‖XWᵀ‖² on the calibration inputs each linear sees in the pruned model.\n");
        md.append("\n## Per linear\n\n| linear | shape | sparsity | error | damping | seconds |\n|---|---|---|---|---|---|\n");
        for (LinearRecord l : r.linears()) {
            md.append(String.format(Locale.ROOT, "| %s | %d×%d | %.2f%% | %s | %s | %.2f |%n", l.name(), l.rows(), l.columns(),
                    100 * l.sparsity(), pct(l.relativeError()), l.fallback() != null ? "fallback: magnitude"
                            : Double.isNaN(l.damping()) || l.damping() == 0 ? "" : String.format(Locale.ROOT, "%.3g", l.damping()),
                    l.seconds()));
        }
        return md.toString();
    }

    static double overallSparsity(List<LinearRecord> linears) {
        long zeros = 0, total = 0;
        for (LinearRecord l : linears) {
            zeros += l.zeros();
            total += (long) l.rows() * l.columns();
        }
        return total == 0 ? 0 : (double) zeros / total;
    }

    private static String pct(Object v) {
        return v instanceof Number n && !Double.isNaN(n.doubleValue()) ? String.format(Locale.ROOT, "%.3f%%", 100 * n.doubleValue()) : "";
    }
}
