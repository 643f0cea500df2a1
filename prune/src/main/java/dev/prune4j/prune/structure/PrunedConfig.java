package dev.prune4j.prune.structure;

import dev.prune4j.model.arch.Architecture;
import dev.prune4j.model.config.ModelConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The config of the model a {@link StructuredPlan} leaves: kept layers with their head counts and FFN widths,
 * {@code headDim} unchanged and explicit, the kept hidden width. With fewer hidden channels d' &lt; d it also sets
 * <ul>
 *   <li>{@code rmsNormEps · d/d'}: RMSNorm over d' channels of a stream whose other d − d' channels were zero has
 *       mean square (d/d')·ms, so the norm matches the unpruned one exactly when eps scales the same way and every
 *       residual-width gain is multiplied by √(d/d') (the surgery does that). Runtimes have one eps, which the QK
 *       norms (over {@code headDim}, not rescaled) share: they then see eps·d/d' where they saw eps, a relative
 *       change of eps·(d/d' − 1)/(2·mean(q²)) in their output, about 1e-7 for unit-scale queries at eps 1e-6;</li>
 *   <li>the embedding scale the architecture computes from the width (Gemma: √d'), since runtimes do not read it
 *       from the file; the surgery folds the change into the embedding.</li>
 * </ul>
 */
public final class PrunedConfig {
    private PrunedConfig() {}

    /**
     * @throws IllegalArgumentException when the plan is invalid, or when it removes layers of a sliding-window model
     *                                  so that a kept layer would change between local and global attention
     */
    public static ModelConfig of(ModelConfig c, StructuredPlan plan) {
        plan.validate(c);
        checkSlidingPattern(c, plan);
        List<Integer> kept = new ArrayList<>();
        for (int l = 0; l < c.blockCount(); l++) if (!plan.removedLayers()[l]) kept.add(l);
        int n = kept.size();
        int[] heads = new int[n], kvHeads = new int[n], ffn = new int[n];
        for (int j = 0; j < n; j++) {
            int l = kept.get(j);
            heads[j] = plan.keptQueryHeads()[l].length;
            kvHeads[j] = plan.keptKvHeads()[l].length;
            ffn[j] = plan.keptFfnChannels()[l].length;
        }
        int d = c.embeddingLength(), dKept = plan.keptHiddenChannels().length;
        float eps = dKept == d ? c.rmsNormEps() : (float) ((double) c.rmsNormEps() * d / dKept);
        float embeddingScale = dKept == d ? c.embeddingScale()
                : Architecture.fromGgufName(c.architecture(), "config").embeddingScale(dKept);
        return new ModelConfig(c.architecture(), n, dKept, c.vocabSize(), c.contextLength(), heads, kvHeads, ffn,
                c.headDim(), eps, c.ropeFreqBase(), c.ropeFreqBaseSwa(), c.ropeScale(), c.ropeDim(), c.ropeLayout(),
                c.slidingWindow(), c.slidingWindowPattern(), c.activation(), embeddingScale, c.tiedEmbeddings(),
                c.qkNorm(), c.sandwichNorms());
    }

    /**
     * Runtimes derive which layers are local from a layer's index (Gemma-3: every 6th is global), so after removing
     * layers every kept layer must still sit at an index of its own kind.
     */
    private static void checkSlidingPattern(ModelConfig c, StructuredPlan plan) {
        if (c.slidingWindow() == 0 || c.slidingWindowPattern() == 0) return;
        int p = c.slidingWindowPattern();
        for (int l = 0, j = 0; l < c.blockCount(); l++) {
            if (plan.removedLayers()[l]) continue;
            boolean slidingAfter = (j + 1) % p != 0;
            if (slidingAfter != c.isSlidingLayer(l)) {
                throw new IllegalArgumentException("removing these layers would turn layer " + l + " ("
                        + (c.isSlidingLayer(l) ? "sliding-window" : "global") + " attention) into layer " + j
                        + ", which runtimes treat as " + (slidingAfter ? "sliding-window" : "global")
                        + ": every " + p + "th layer is global in " + c.architecture()
                        + "; remove layers so that the local/global pattern is kept (e.g. whole runs of " + p + ")");
            }
            j++;
        }
    }
}
