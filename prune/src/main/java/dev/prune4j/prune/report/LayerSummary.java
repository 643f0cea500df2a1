package dev.prune4j.prune.report;

import dev.prune4j.prune.pipeline.LinearRecord;
import dev.prune4j.prune.pipeline.OwlAllocation;
import dev.prune4j.prune.pipeline.SparsityPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Folds per-linear records into one row per layer for the report's table and plot. */
public final class LayerSummary {
    private LayerSummary() {}

    public static List<Map<String, Object>> of(List<LinearRecord> linears, SparsityPlan plan, OwlAllocation.Result owl,
                                               int layers) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int layer = 0; layer < layers; layer++) {
            final int current = layer;
            List<LinearRecord> here = linears.stream().filter(l -> l.layer() == current).toList();
            long zeros = 0, total = 0;
            for (LinearRecord l : here) {
                zeros += l.zeros();
                total += (long) l.rows() * l.columns();
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("layer", layer);
            row.put("target", plan.target(layer).toString());
            row.put("sparsity", total == 0 ? 0.0 : (double) zeros / total);
            if (owl != null) row.put("outlier_ratio", owl.outlierRatio()[layer]);
            row.put("attention_error", mean(here, true));
            row.put("mlp_error", mean(here, false));
            row.put("max_error", here.stream().mapToDouble(LinearRecord::relativeError).max().orElse(Double.NaN));
            out.add(row);
        }
        return out;
    }

    private static double mean(List<LinearRecord> linears, boolean attention) {
        return linears.stream().filter(l -> l.role().startsWith("ATTN") == attention)
                .mapToDouble(LinearRecord::relativeError).average().orElse(Double.NaN);
    }
}
