package dev.prune4j.prune.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.prune4j.prune.recipe.RecipeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a structured pruning run's report into a folder: report.json, report.md, widths.png (kept widths per layer)
 * and recipe.yaml (the recipe that ran).
 */
public final class StructuredReportWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .setSerializationInclusion(JsonInclude.Include.ALWAYS);

    private StructuredReportWriter() {}

    public static void write(Path dir, StructuredReport report) throws IOException {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve("report.json").toFile(), report);
        Files.writeString(dir.resolve("recipe.yaml"), RecipeFiles.toYaml(report.recipe()));
        WidthChart.write(dir.resolve("widths.png"), report.model().get("name") + ": " + describe(report), report.layers());
        Files.writeString(dir.resolve("report.md"), markdown(report));
    }

    static String describe(StructuredReport r) {
        Map<String, Object> a = r.allocation();
        return String.format(Locale.ROOT, "%s, %.1f%% removed (%s)", r.recipe().method(),
                100 * ((Number) a.get("achieved_ratio")).doubleValue(), a.get("strategy"));
    }

    static String markdown(StructuredReport r) {
        StringBuilder md = new StringBuilder();
        md.append("# prune4j structured report: ").append(r.model().get("name")).append(", ").append(describe(r)).append("\n\n");
        md.append("prune4j ").append(r.prune4jVersion()).append(", started ").append(r.started()).append(".\n\n");
        result(md, r);
        target(md, r);
        md.append("\n## Scores\n\n");
        r.scores().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append("\n## Protocol\n\n");
        md.append("- model: `").append(r.model().get("source")).append("` (sha256 `").append(r.model().get("sha256"))
                .append("`, ").append(r.model().get("storage")).append(")\n");
        md.append("- calibration: ").append(r.calibration() == null ? "none read" : r.calibration()).append('\n');
        if (r.result().get("perplexity") instanceof Map<?, ?> ppl) {
            md.append("- perplexity: ").append(ppl.get("text")).append(", ").append(ppl.get("protocol")).append('\n');
        }
        if (r.result().get("speed") instanceof Map<?, ?> speed) {
            md.append("- speed: ").append(speed.get("settings")).append("; ").append(speed.get("threads"))
                    .append(" threads, batch 1, prune4j's own forward pass\n");
        }
        md.append("- recipe (also in `recipe.yaml`):\n\n```yaml\n").append(RecipeFiles.toYaml(r.recipe())).append("```\n\n");
        md.append("## Time and memory\n\n| phase | seconds |\n|---|---|\n");
        r.timings().forEach((k, v) -> md.append(String.format(Locale.ROOT, "| %s | %.2f |%n", k, v)));
        md.append("\n| memory | MiB |\n|---|---|\n");
        r.memory().forEach((k, v) -> md.append(String.format(Locale.ROOT, "| %s | %s |%n", k,
                v < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f", v / 1048576.0))));
        if (!r.warnings().isEmpty()) {
            md.append("\n## Warnings\n\n");
            r.warnings().forEach(w -> md.append("- ").append(w).append('\n'));
        }
        layers(md, r);
        return md.toString();
    }

    private static void result(StringBuilder md, StructuredReport r) {
        Map<String, Object> res = r.result();
        md.append("## Result\n\n| | before | after |\n|---|---|---|\n");
        Map<?, ?> params = (Map<?, ?>) res.get("parameters");
        md.append(String.format(Locale.ROOT, "| parameters | %,d | %,d (%.2f%% fewer) |%n", number(params.get("before")).longValue(),
                number(params.get("after")).longValue(),
                100 * (1 - number(params.get("after")).doubleValue() / number(params.get("before")).doubleValue())));
        Map<?, ?> weights = (Map<?, ?>) res.get("weight_bytes");
        md.append(String.format(Locale.ROOT, "| weights at %s | %s | %s |%n", weights.get("dtype"), mb(weights.get("before")),
                mb(weights.get("after"))));
        Map<?, ?> file = (Map<?, ?>) res.get("file_bytes");
        md.append(String.format(Locale.ROOT, "| model file | %s (%s) | %s |%n", mb(file.get("before")), file.get("before_storage"),
                file.get("after") == null ? "not written" : mb(file.get("after")) + " (" + file.get("after_storage") + ")"));
        if (res.get("perplexity") instanceof Map<?, ?> ppl) {
            md.append(String.format(Locale.ROOT, "| perplexity | %s | %s |%n", ppl(ppl.get("before")), ppl(ppl.get("after"))));
        }
        if (res.get("speed") instanceof Map<?, ?> speed) {
            Map<?, ?> b = (Map<?, ?>) speed.get("before"), a = (Map<?, ?>) speed.get("after");
            md.append(String.format(Locale.ROOT, "| prefill tokens/s (%s-token prompt) | %s | %s |%n", a.get("prompt_tokens"),
                    rate(b, "prefill_tokens_per_second"), rate(a, "prefill_tokens_per_second")));
            md.append(String.format(Locale.ROOT, "| decode tokens/s | %s | %s |%n", rate(b, "decode_tokens_per_second"),
                    rate(a, "decode_tokens_per_second")));
        }
    }

    private static void target(StringBuilder md, StructuredReport r) {
        Map<String, Object> a = r.allocation();
        md.append(String.format(Locale.ROOT, "%nTarget %.2f%% of the block linears' %,d parameters (q, k, v, o, gate, up, down"
                        + " of every layer), achieved %.2f%% (%,d removed; the allocation's rounding step is %,d). Allocation %s",
                100 * number(a.get("target_ratio")).doubleValue(), number(a.get("counted")).longValue(),
                100 * number(a.get("achieved_ratio")).doubleValue(), number(a.get("removed")).longValue(),
                number(a.get("rounding_unit")).longValue(), a.get("strategy")));
        var rc = r.recipe();
        if (rc.attention() != null) {
            md.append(String.format(Locale.ROOT, "; attention unit %s, FFN channels %s, widths multiples of %d",
                    rc.attention(), rc.ffn() ? "on" : "off", rc.widthMultiple()));
        }
        md.append(String.format(Locale.ROOT, "; protected layers: first %d, last %d.%n", rc.protectFirst(), rc.protectLast()));
    }

    private static void layers(StringBuilder md, StructuredReport r) {
        md.append("\n## Per layer\n\n![kept widths per layer](widths.png)\n\n");
        md.append("| layer | query heads | KV heads | FFN width | removed of the layer |\n|---|---|---|---|---|\n");
        for (Map<String, Object> l : r.layers()) {
            if ((Boolean) l.get("layer_removed")) {
                md.append(String.format(Locale.ROOT, "| %s | removed | | | 100%% |%n", l.get("layer")));
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %s | %s / %s | %s / %s | %s / %s | %.1f%% |%n", l.get("layer"),
                    l.get("query_heads"), l.get("query_heads_dense"), l.get("kv_heads"), l.get("kv_heads_dense"),
                    l.get("ffn"), l.get("ffn_dense"), 100 * number(l.get("removed")).doubleValue()));
        }
    }

    private static Number number(Object o) {
        return (Number) o;
    }

    private static String mb(Object bytes) {
        return bytes == null ? "" : String.format(Locale.ROOT, "%.2f MB", number(bytes).doubleValue() / 1e6);
    }

    private static String ppl(Object result) {
        return result instanceof Map<?, ?> m ? String.format(Locale.ROOT, "%.3f", number(m.get("perplexity")).doubleValue())
                : "not measured";
    }

    private static String rate(Map<?, ?> row, String key) {
        return row == null ? "not measured" : String.format(Locale.ROOT, "%.1f", number(row.get(key)).doubleValue());
    }
}
