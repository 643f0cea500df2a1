package dev.prune4j.prune.structure.surgery;

import static dev.prune4j.prune.structure.surgery.Gather.all;
import static dev.prune4j.prune.structure.surgery.Gather.headRows;
import static dev.prune4j.prune.structure.surgery.Gather.linear;
import static dev.prune4j.prune.structure.surgery.Gather.vector;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.Linear;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.prune.structure.PrunedConfig;
import dev.prune4j.prune.structure.StructuredPlan;
import dev.prune4j.tensor.Parallel;
import java.util.stream.IntStream;

/**
 * Applies a {@link StructuredPlan}: copies the kept heads, FFN channels, hidden channels and layers into a smaller
 * dense model with a config that llama.cpp and transformers read. The result computes exactly what the original
 * computes with the removed groups zeroed ({@link StructuredMask}); for hidden channels that holds when their
 * embedding columns and writer rows are zero, through the RMSNorm rescaling described in {@link PrunedConfig}.
 */
public final class StructuredSurgery {
    private StructuredSurgery() {}

    /**
     * @throws IllegalArgumentException when the plan is invalid for {@code config} (empty layer, broken GQA groups,
     *                                  a layer removal that moves Gemma-3's local/global pattern)
     */
    public static PrunedModel apply(ModelConfig config, ModelWeights weights, StructuredPlan plan) {
        ModelConfig pruned = PrunedConfig.of(config, plan);
        int[] hidden = plan.keptHiddenChannels();
        int d = config.embeddingLength(), vocab = config.vocabSize();
        // every gain over the residual width: RMS over d' channels is √(d/d') times the RMS over d with zeros
        // (norm gains are held as the factor the forward multiplies by, so Gemma's 1 + w is scaled as a whole)
        double gainScale = Math.sqrt((double) d / hidden.length);
        // runtimes compute Gemma's √d from the width: fold the old/new ratio into the embedding rows
        double embeddingFactor = (double) config.embeddingScale() / pruned.embeddingScale();

        float[] embd = Gather.matrix(weights.tokenEmbd(), d, all(vocab), hidden, (float) embeddingFactor);
        int[] layers = keptLayers(plan);
        BlockWeights[] blocks = new BlockWeights[layers.length];
        Parallel.forRange(layers.length, 1, (from, to) -> {
            for (int j = from; j < to; j++) {
                int l = layers[j];
                blocks[j] = block(config, weights.blocks()[l], plan.keptQueryHeads()[l], plan.keptKvHeads()[l],
                        plan.keptFfnChannels()[l], hidden, (float) gainScale);
            }
        });
        Linear output;
        float[] outputNorm;
        if (weights.tied()) {
            // the head reads the rescaled embedding too: undo that factor in the final norm's gain
            output = new Linear(vocab, hidden.length, embd, null);
            outputNorm = vector(weights.outputNorm(), hidden, (float) (gainScale / embeddingFactor));
        } else {
            output = linear(weights.output(), all(vocab), hidden);
            outputNorm = vector(weights.outputNorm(), hidden, (float) gainScale);
        }
        return new PrunedModel(pruned, new ModelWeights(embd, blocks, outputNorm, output, weights.tied()));
    }

    private static BlockWeights block(ModelConfig c, BlockWeights b, int[] queryHeads, int[] kvHeads, int[] ffn,
                                      int[] hidden, float gain) {
        int[] qRows = headRows(queryHeads, c.headDim());
        int[] kvRows = headRows(kvHeads, c.headDim());
        return new BlockWeights(
                vector(b.attnNorm(), hidden, gain),
                linear(b.attnQ(), qRows, hidden),
                linear(b.attnK(), kvRows, hidden),
                linear(b.attnV(), kvRows, hidden),
                copy(b.attnQNorm()), // per head_dim: untouched by any cut
                copy(b.attnKNorm()),
                linear(b.attnOutput(), hidden, qRows),
                vector(b.attnPostNorm(), hidden, gain),
                vector(b.ffnNorm(), hidden, gain),
                linear(b.ffnGate(), ffn, hidden),
                linear(b.ffnUp(), ffn, hidden),
                linear(b.ffnDown(), hidden, ffn),
                vector(b.ffnPostNorm(), hidden, gain));
    }

    private static int[] keptLayers(StructuredPlan plan) {
        return IntStream.range(0, plan.layerCount()).filter(l -> !plan.removedLayers()[l]).toArray();
    }

    private static float[] copy(float[] v) {
        return v == null ? null : v.clone();
    }
}
