/**
 * Applying a {@link dev.prune4j.prune.structure.StructuredPlan}: {@link dev.prune4j.prune.structure.surgery.StructuredSurgery}
 * copies what is kept into a smaller dense model, {@link dev.prune4j.prune.structure.surgery.StructuredMask} zeroes
 * what is removed in place (for learned masks, and as the reference the surgery is tested against: both give the
 * same logits). Hidden-channel removal rescales every residual-width RMSNorm gain by √(d/d') and eps by d/d', and
 * folds Gemma's width-derived embedding scale into the embedding; see {@link dev.prune4j.prune.structure.PrunedConfig}.
 * {@link dev.prune4j.prune.structure.surgery.OutputBiases} adds FLAP's bias compensation to a cut model.
 */
package dev.prune4j.prune.structure.surgery;
