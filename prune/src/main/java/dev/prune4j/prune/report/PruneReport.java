package dev.prune4j.prune.report;

import dev.prune4j.prune.pipeline.LinearRecord;
import dev.prune4j.prune.recipe.PruneRecipe;
import java.util.List;
import java.util.Map;

/**
 * Everything the report of a pruning run states, in the shape of its JSON.
 *
 * @param model        display name, source path, sha256, architecture, parameters
 * @param perplexity   "before" and "after" results with their protocol (absent when evaluation was skipped)
 * @param output       path, format, bytes of the written model
 * @param layers       per layer: target sparsity, achieved sparsity, OWL outlier ratio, mean/max relative error
 * @param timings      seconds per phase
 * @param memory       peak heap, buffers, resident peak (bytes)
 */
public record PruneReport(String prune4jVersion, String started, Map<String, Object> model, PruneRecipe recipe,
                          Map<String, Object> calibration, Map<String, Object> perplexity, Map<String, Object> output,
                          List<Map<String, Object>> layers, List<LinearRecord> linears, Map<String, Double> timings,
                          Map<String, Long> memory, List<String> warnings) {}
