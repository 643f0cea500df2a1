package dev.prune4j.prune.pipeline;

/**
 * What pruning did to one linear, for the run log and the report.
 *
 * @param relativeError {@code ‖X(W−Ŵ)ᵀ‖² / ‖XWᵀ‖²} on the calibration inputs the linear sees in the pruned model
 * @param damping       relative damping finally used (NaN on fallback, 0 without a Hessian)
 * @param fallback      why the method fell back to magnitude, or null
 */
public record LinearRecord(String name, int layer, String role, int rows, int columns, String target, long zeros,
                           double sparsity, double relativeError, double damping, String fallback, double solverLoss,
                           double seconds) {}
