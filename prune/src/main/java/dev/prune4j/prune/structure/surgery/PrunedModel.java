package dev.prune4j.prune.structure.surgery;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.weights.ModelWeights;

/**
 * A smaller dense model made by {@link StructuredSurgery}: its config and its own (copied) weights.
 *
 * @param config  per-layer head counts and FFN widths, explicit head_dim, the kept hidden width
 * @param weights fp32 weights shaped by {@code config}
 */
public record PrunedModel(ModelConfig config, ModelWeights weights) {}
