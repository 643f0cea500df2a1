/**
 * From scores and a target to a {@link dev.prune4j.prune.structure.StructuredPlan}. A target is a fraction of the
 * counted parameters ({@link dev.prune4j.prune.structure.allocation.ParameterCount}: the seven linears of every
 * decoder block); options choose the attention unit (whole KV groups, query heads evenly across KV groups, or none),
 * whether FFN channels go, the FFN width multiple (8) and protected first/last layers. Strategies: {@code uniform}
 * (the same fraction of every unprotected layer), {@code layers} (an explicit fraction per layer), {@code flap}
 * (FLAP's standardised global threshold across layers and kinds), {@code depth} (whole layers of lowest block
 * influence). Each reports the achieved ratio, which is within one rounding unit of the target, and refuses a target
 * that would leave a layer without heads or channels.
 */
package dev.prune4j.prune.structure.allocation;
