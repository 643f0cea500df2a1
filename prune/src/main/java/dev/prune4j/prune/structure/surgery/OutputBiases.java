package dev.prune4j.prune.structure.surgery;

import dev.prune4j.model.weights.BlockWeights;
import dev.prune4j.model.weights.Linear;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.prune.structure.StructuredPlan;
import dev.prune4j.prune.structure.score.FlapBiasCompensation;

/**
 * Adds FLAP's compensation biases ({@link FlapBiasCompensation}, computed on the dense model) to the o_proj and
 * down_proj of a pruned model. Every kept layer gets both biases, zeros where nothing was removed, so the model has
 * one bias layout for every runtime (transformers' {@code attention_bias}/{@code mlp_bias} are model-wide flags).
 * When hidden channels were cut, the entries of the removed ones go with them, as masking those channels zeroes them
 * ({@code CoupledGroups} counts o/down bias rows as part of a hidden channel).
 */
public final class OutputBiases {
    private OutputBiases() {}

    /**
     * @param biases per dense layer, [embeddingLength of the dense model] or null
     * @return the pruned model with the biases added to any it already had; its other arrays are shared
     */
    public static PrunedModel add(PrunedModel pruned, StructuredPlan plan, FlapBiasCompensation.Biases biases) {
        int[] hidden = plan.keptHiddenChannels();
        BlockWeights[] in = pruned.weights().blocks(), out = new BlockWeights[in.length];
        for (int l = 0, j = 0; l < plan.layerCount(); l++) {
            if (plan.removedLayers()[l]) continue;
            BlockWeights b = in[j];
            out[j] = new BlockWeights(b.attnNorm(), b.attnQ(), b.attnK(), b.attnV(), b.attnQNorm(), b.attnKNorm(),
                    withBias(b.attnOutput(), biases.attnOutput()[l], hidden), b.attnPostNorm(), b.ffnNorm(), b.ffnGate(),
                    b.ffnUp(), withBias(b.ffnDown(), biases.ffnDown()[l], hidden), b.ffnPostNorm());
            j++;
        }
        ModelWeights w = pruned.weights();
        return new PrunedModel(pruned.config(), new ModelWeights(w.tokenEmbd(), out, w.outputNorm(), w.output(), w.tied()));
    }

    /** @param dense [dense embeddingLength] or null (nothing to add) */
    private static Linear withBias(Linear l, float[] dense, int[] hidden) {
        float[] bias = l.bias() == null ? new float[l.out()] : l.bias().clone();
        if (dense != null) {
            for (int i = 0; i < hidden.length; i++) bias[i] += dense[hidden[i]];
        }
        return new Linear(l.out(), l.in(), l.weight(), bias);
    }
}
