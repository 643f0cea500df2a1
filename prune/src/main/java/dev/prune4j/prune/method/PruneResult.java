package dev.prune4j.prune.method;

/**
 * What pruning one linear did.
 *
 * @param zeros     weights that are exactly zero afterwards
 * @param damping   the relative damping finally used (0 for methods without a Hessian)
 * @param fallback  why the method fell back to magnitude pruning, or null
 * @param solverLoss the method's own estimate of the loss it caused (OBS/MRP loss), NaN when it has none
 */
public record PruneResult(long zeros, double damping, String fallback, double solverLoss) {}
