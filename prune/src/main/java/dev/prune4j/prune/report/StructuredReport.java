package dev.prune4j.prune.report;

import dev.prune4j.prune.recipe.StructuredRecipe;
import java.util.List;
import java.util.Map;

/**
 * Everything the report of a structured pruning run states, in the shape of its JSON.
 *
 * @param model       display name, source path, sha256, architecture, parameters, source bytes and storage types
 * @param recipe      the recipe that ran (defaults filled, an allocation file read into the per-layer list)
 * @param scores      how the scores were made or where they were loaded from
 * @param calibration the calibration text and sampling (absent when no data was read)
 * @param allocation  strategy, target and achieved ratio of the counted parameters, rounding unit
 * @param result      before and after: parameters, weight bytes, file bytes, perplexity, speed
 * @param output      path, format, dtype and bytes of the written model (absent with --no-save)
 * @param layers      per dense layer: kept query heads, KV heads, FFN width, removed share ({@link StructuredLayers})
 * @param timings     seconds per phase
 * @param memory      peak heap, live heap at the end, resident peak (bytes)
 */
public record StructuredReport(String prune4jVersion, String started, Map<String, Object> model, StructuredRecipe recipe,
                               Map<String, Object> scores, Map<String, Object> calibration, Map<String, Object> allocation,
                               Map<String, Object> result, Map<String, Object> output, List<Map<String, Object>> layers,
                               Map<String, Double> timings, Map<String, Long> memory, List<String> warnings) {}
