package dev.prune4j.prune.structure;

import dev.prune4j.model.config.ModelConfig;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * What a structured cut keeps: per decoder layer the query heads, KV heads and FFN channels that survive, the hidden
 * (residual) channels that survive, and the layers removed whole. Indices refer to the original model and are sorted
 * and unique. Allocation turns scores into a plan; surgery applies it.
 *
 * @param keptQueryHeads     [layer][kept query head]
 * @param keptKvHeads        [layer][kept KV head]; a query head {@code h} reads KV head {@code h / (H / H_kv)}
 * @param keptFfnChannels    [layer][kept channel] of the gate/up rows and down columns
 * @param keptHiddenChannels [kept channel] of the residual stream
 * @param removedLayers      [layer] true when the whole decoder layer goes (its other entries are then ignored)
 */
public record StructuredPlan(int[][] keptQueryHeads, int[][] keptKvHeads, int[][] keptFfnChannels,
                             int[] keptHiddenChannels, boolean[] removedLayers) {

    /** The plan that removes nothing. */
    public static StructuredPlan keepAll(ModelConfig config) {
        int layers = config.blockCount();
        int[][] q = new int[layers][];
        int[][] kv = new int[layers][];
        int[][] ffn = new int[layers][];
        for (int l = 0; l < layers; l++) {
            q[l] = IntStream.range(0, config.headCount(l)).toArray();
            kv[l] = IntStream.range(0, config.headCountKv(l)).toArray();
            ffn[l] = IntStream.range(0, config.feedForwardLength(l)).toArray();
        }
        return new StructuredPlan(q, kv, ffn, IntStream.range(0, config.embeddingLength()).toArray(), new boolean[layers]);
    }

    public int layerCount() { return removedLayers.length; }

    /** The number of decoder layers left. */
    public int keptLayerCount() {
        int n = 0;
        for (boolean r : removedLayers) if (!r) n++;
        return n;
    }

    /**
     * Checks that the plan fits {@code config} and leaves a model every standard runtime can run: indices in range,
     * sorted and unique; no layer left without heads or FFN channels (remove the layer instead); at least one layer;
     * every kept KV head keeps the same number of query heads, and every kept query head's KV head is kept, so that
     * {@code H' / H'_kv} is a whole number and query head {@code i} of the result reads KV head {@code i / (H'/H'_kv)}.
     *
     * @throws IllegalArgumentException naming the layer and what is wrong
     */
    public void validate(ModelConfig config) {
        int layers = config.blockCount();
        if (removedLayers.length != layers || keptQueryHeads.length != layers || keptKvHeads.length != layers
                || keptFfnChannels.length != layers) {
            throw new IllegalArgumentException("the plan is for " + removedLayers.length + " layers, the model has "
                    + layers);
        }
        if (keptLayerCount() == 0) throw new IllegalArgumentException("the plan removes every decoder layer");
        checkIndices("hidden channels", keptHiddenChannels, config.embeddingLength());
        if (keptHiddenChannels.length == 0) throw new IllegalArgumentException("the plan removes every hidden channel");
        for (int l = 0; l < layers; l++) {
            if (removedLayers[l]) continue;
            String where = "layer " + l + ": ";
            int heads = config.headCount(l);
            int kvHeads = config.headCountKv(l);
            checkIndices(where + "query heads", keptQueryHeads[l], heads);
            checkIndices(where + "KV heads", keptKvHeads[l], kvHeads);
            checkIndices(where + "FFN channels", keptFfnChannels[l], config.feedForwardLength(l));
            if (keptQueryHeads[l].length == 0 || keptKvHeads[l].length == 0) {
                throw new IllegalArgumentException(where + "no attention head left; remove the whole layer instead");
            }
            if (keptFfnChannels[l].length == 0) {
                throw new IllegalArgumentException(where + "no FFN channel left; remove the whole layer instead");
            }
            checkGqa(where, keptQueryHeads[l], keptKvHeads[l], heads / kvHeads);
        }
    }

    private static void checkGqa(String where, int[] queries, int[] kvHeads, int groupSize) {
        int[] perKv = new int[kvHeads[kvHeads.length - 1] + 1];
        for (int h : queries) {
            int kv = h / groupSize;
            if (Arrays.binarySearch(kvHeads, kv) < 0) {
                throw new IllegalArgumentException(where + "query head " + h + " is kept but its KV head " + kv
                        + " is removed");
            }
            perKv[kv]++;
        }
        int expected = queries.length / kvHeads.length;
        for (int kv : kvHeads) {
            if (perKv[kv] != expected || expected * kvHeads.length != queries.length) {
                throw new IllegalArgumentException(where + "KV head " + kv + " keeps " + perKv[kv]
                        + " query heads but " + queries.length + " query heads over " + kvHeads.length
                        + " KV heads need the same whole number in every KV group (GQA)");
            }
        }
    }

    private static void checkIndices(String what, int[] kept, int size) {
        for (int i = 0; i < kept.length; i++) {
            if (kept[i] < 0 || kept[i] >= size) {
                throw new IllegalArgumentException(what + ": index " + kept[i] + " is outside [0, " + size + ")");
            }
            if (i > 0 && kept[i] <= kept[i - 1]) {
                throw new IllegalArgumentException(what + ": indices must be sorted and unique, got " + kept[i - 1]
                        + " then " + kept[i]);
            }
        }
    }
}
