package dev.prune4j.prune.pipeline;

import dev.prune4j.model.arch.TensorRole;
import dev.prune4j.model.forward.CapturePoint;
import dev.prune4j.model.weights.Linear;

/**
 * One linear chosen for pruning.
 *
 * @param name the Hugging Face module name ({@code model.layers.3.self_attn.q_proj}), as reports and recipes say it
 */
public record TargetLinear(int layer, TensorRole role, CapturePoint point, Linear linear, String name) {}
