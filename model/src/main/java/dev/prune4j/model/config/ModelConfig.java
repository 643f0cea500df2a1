package dev.prune4j.model.config;

import dev.prune4j.tensor.kernels.Rope;
import java.util.Arrays;

/**
 * Hyper-parameters of a decoder-only transformer, with explicit {@code headDim} and per-layer head counts and FFN
 * widths (structured pruning makes them differ between layers). Field names follow the GGUF metadata keys
 * ({@code {arch}.embedding_length} etc.); the Javadoc of each names the Hugging Face {@code config.json} key.
 *
 * @param architecture       GGUF {@code general.architecture}: "llama", "qwen2", "gemma3"
 * @param blockCount         {@code block_count} / {@code num_hidden_layers}
 * @param embeddingLength    {@code embedding_length} / {@code hidden_size}
 * @param vocabSize          rows of the embedding; {@code vocab_size}
 * @param contextLength      {@code context_length} / {@code max_position_embeddings}
 * @param headCount          per layer; {@code attention.head_count} / {@code num_attention_heads}
 * @param headCountKv        per layer; {@code attention.head_count_kv} / {@code num_key_value_heads}
 * @param feedForwardLength  per layer; {@code feed_forward_length} / {@code intermediate_size}
 * @param headDim            {@code attention.key_length} / {@code head_dim}; derived as embedding/heads when absent
 * @param rmsNormEps         {@code attention.layer_norm_rms_epsilon} / {@code rms_norm_eps}
 * @param ropeFreqBase       {@code rope.freq_base} / {@code rope_theta}
 * @param ropeFreqBaseSwa    RoPE base of sliding-window layers (Gemma-3: 10000, fixed by the architecture)
 * @param ropeScale          linear position scale (1 / {@code rope.scaling.factor}); 1 when unscaled
 * @param ropeDim            rotated dims per head; {@code rope.dimension_count}, default {@code headDim}
 * @param ropeLayout         pair layout: NORMAL for GGUF llama (q/k rows permuted by the converter), NEOX otherwise
 * @param slidingWindow      {@code attention.sliding_window} / {@code sliding_window}; 0 = none
 * @param slidingWindowPattern every n-th layer is global, the others use the sliding window (Gemma-3: 6); 0 = none
 * @param activation         MLP activation
 * @param embeddingScale     factor applied to token embeddings (Gemma: sqrt(embeddingLength)); 1 otherwise
 * @param tiedEmbeddings     the output projection reuses the token embedding matrix
 * @param qkNorm             per-head RMSNorm of queries and keys (Gemma-3)
 * @param sandwichNorms      extra RMSNorm after attention and after the MLP (Gemma's post norms)
 */
public record ModelConfig(
        String architecture,
        int blockCount,
        int embeddingLength,
        int vocabSize,
        int contextLength,
        int[] headCount,
        int[] headCountKv,
        int[] feedForwardLength,
        int headDim,
        float rmsNormEps,
        float ropeFreqBase,
        float ropeFreqBaseSwa,
        float ropeScale,
        int ropeDim,
        Rope.Layout ropeLayout,
        int slidingWindow,
        int slidingWindowPattern,
        Activation activation,
        float embeddingScale,
        boolean tiedEmbeddings,
        boolean qkNorm,
        boolean sandwichNorms) {

    public ModelConfig {
        if (blockCount <= 0) throw new IllegalArgumentException("block count must be positive, got " + blockCount);
        for (int[] a : new int[][] {headCount, headCountKv, feedForwardLength}) {
            if (a.length != blockCount) {
                throw new IllegalArgumentException("per-layer arrays need " + blockCount + " entries, got " + a.length);
            }
        }
        for (int i = 0; i < blockCount; i++) {
            if (headCountKv[i] <= 0 || headCount[i] % headCountKv[i] != 0) {
                throw new IllegalArgumentException("layer " + i + ": " + headCount[i] + " query heads are not a multiple of "
                        + headCountKv[i] + " KV heads (GQA needs equal-sized groups)");
            }
        }
        if (ropeDim > headDim || ropeDim % 2 != 0) {
            throw new IllegalArgumentException("rope dimension " + ropeDim + " must be even and at most head_dim " + headDim);
        }
    }

    public int headCount(int layer) { return headCount[layer]; }

    public int headCountKv(int layer) { return headCountKv[layer]; }

    public int feedForwardLength(int layer) { return feedForwardLength[layer]; }

    /** Width of the concatenated query heads of a layer: {@code headCount * headDim}. */
    public int qDim(int layer) { return headCount[layer] * headDim; }

    /** Width of the concatenated key (or value) heads of a layer. */
    public int kvDim(int layer) { return headCountKv[layer] * headDim; }

    /** Whether a layer attends only within the sliding window. */
    public boolean isSlidingLayer(int layer) {
        return slidingWindow > 0 && (slidingWindowPattern == 0 || (layer + 1) % slidingWindowPattern != 0);
    }

    /** True when every layer has the same head counts and FFN width (what stock runtimes expect). */
    public boolean isUniform() {
        return Arrays.stream(headCount).distinct().count() == 1
                && Arrays.stream(headCountKv).distinct().count() == 1
                && Arrays.stream(feedForwardLength).distinct().count() == 1;
    }
}
