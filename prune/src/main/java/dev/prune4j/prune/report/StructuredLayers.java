package dev.prune4j.prune.report;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.prune.structure.StructuredPlan;
import dev.prune4j.prune.structure.allocation.ParameterCount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The widths a structured plan leaves in each layer of the dense model, for the report's table and chart. */
public final class StructuredLayers {
    private StructuredLayers() {}

    /**
     * One row per dense layer: {@code query_heads}, {@code kv_heads}, {@code ffn} kept (0 when the layer is removed),
     * the dense widths, and {@code removed}, the fraction of the layer's counted parameters that goes.
     */
    public static List<Map<String, Object>> of(ModelConfig dense, StructuredPlan plan) {
        int d = plan.keptHiddenChannels().length, hd = dense.headDim();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int l = 0; l < dense.blockCount(); l++) {
            boolean gone = plan.removedLayers()[l];
            int q = gone ? 0 : plan.keptQueryHeads()[l].length, kv = gone ? 0 : plan.keptKvHeads()[l].length;
            int ffn = gone ? 0 : plan.keptFfnChannels()[l].length;
            long kept = 2L * q * hd * d + 2L * kv * hd * d + 3L * ffn * d;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("layer", l);
            row.put("layer_removed", gone);
            row.put("query_heads", q);
            row.put("query_heads_dense", dense.headCount(l));
            row.put("kv_heads", kv);
            row.put("kv_heads_dense", dense.headCountKv(l));
            row.put("ffn", ffn);
            row.put("ffn_dense", dense.feedForwardLength(l));
            row.put("removed", 1 - (double) kept / ParameterCount.layer(dense, l));
            rows.add(row);
        }
        return rows;
    }
}
