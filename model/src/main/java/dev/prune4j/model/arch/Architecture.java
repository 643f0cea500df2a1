package dev.prune4j.model.arch;

import dev.prune4j.model.ModelFormatException;
import dev.prune4j.model.config.Activation;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.gguf.GgufFile;
import dev.prune4j.tensor.kernels.Rope;
import java.util.Arrays;
import java.util.Locale;

/**
 * The decoder families prune4j runs, described as data: how to read their config from GGUF metadata and how their
 * tensors are named. All share one forward pass ({@code dev.prune4j.model.forward.Transformer}); the differences are
 * flags of {@link ModelConfig}.
 */
public enum Architecture {
    /** Llama 2/3, SmolLM2, Mistral (GGUF "llama"): SwiGLU, RMSNorm, RoPE on permuted q/k rows. */
    LLAMA("llama", Rope.Layout.NORMAL),
    /** Qwen2 (GGUF "qwen2"): Llama plus q/k/v biases and NeoX RoPE. */
    QWEN2("qwen2", Rope.Layout.NEOX),
    /** Gemma-3 text models (GGUF "gemma3"): GeGLU, QK-norm, sandwich norms, sliding-window layers, scaled embeddings. */
    GEMMA3("gemma3", Rope.Layout.NEOX);

    /** GGUF {@code general.architecture} value. */
    public final String ggufName;
    private final Rope.Layout ggufRopeLayout;

    Architecture(String ggufName, Rope.Layout ggufRopeLayout) {
        this.ggufName = ggufName;
        this.ggufRopeLayout = ggufRopeLayout;
    }

    /** The family of a GGUF {@code general.architecture} value, including the per-layer-width variant "deci". */
    public static Architecture fromGgufName(String name, String file) {
        for (Architecture a : values()) {
            if (a.ggufName.equals(name) || name.equals(a.perLayerGgufName())) return a;
        }
        throw new ModelFormatException(file + ": unsupported architecture \"" + name + "\"; prune4j runs "
                + Arrays.stream(values()).map(a -> a.ggufName).toList());
    }

    /**
     * The GGUF architecture under which llama.cpp reads this family with a different head count or FFN width in each
     * layer, or null when it has none. llama.cpp sizes every layer of a "llama" model by layer 0's values, but
     * "deci" (DeciLM / Nemotron-NAS: the Llama block with per-layer widths, same RoPE, norms and MLP) by each
     * layer's own; prune4j reads "deci" files as Llama.
     */
    public String perLayerGgufName() {
        return this == LLAMA ? "deci" : null;
    }

    /**
     * The factor the runtimes (llama.cpp, transformers) apply to token embeddings, which they compute from the
     * hidden width rather than read from the file: Gemma √d, 1 otherwise.
     */
    public float embeddingScale(int embeddingLength) {
        return this == GEMMA3 ? (float) Math.sqrt(embeddingLength) : 1f;
    }

    /** Hugging Face name of a tensor of this architecture. */
    public String hfName(TensorRole role, int block) {
        String p = role.hfPattern();
        if (this == GEMMA3 && role == TensorRole.FFN_NORM) p = "model.layers.%d.pre_feedforward_layernorm.weight";
        return role.perBlock() ? p.formatted(block) : p;
    }

    /** Reads the config from GGUF metadata ({@code {arch}.*} keys); missing required keys are named in the error. */
    public ModelConfig configFromGguf(GgufFile f) {
        String k = f.getString("general.architecture") + "."; // "deci" files keep their keys under "deci."
        int blocks = f.getInt(k + "block_count");
        int hidden = f.getInt(k + "embedding_length");
        int[] heads = perLayer(f, k + "attention.head_count", blocks, null);
        int[] headsKv = perLayer(f, k + "attention.head_count_kv", blocks, heads);
        int[] ffn = perLayer(f, k + "feed_forward_length", blocks, null);
        int headDim = f.getInt(k + "attention.key_length", hidden / heads[0]);
        int vocab = Math.toIntExact(f.tensor(TensorRole.TOKEN_EMBD.ggufName(0)).rows());
        boolean tied = !f.tensors().containsKey(TensorRole.OUTPUT.ggufName(0));
        float ropeScale = 1f;
        if (f.has(k + "rope.scaling.type")) {
            String type = f.getString(k + "rope.scaling.type").toLowerCase(Locale.ROOT);
            if (!type.equals("none") && !type.equals("linear")) {
                throw new ModelFormatException(f.path() + ": RoPE scaling \"" + type + "\" is not supported (none and linear are)");
            }
            if (type.equals("linear")) ropeScale = 1f / f.getFloat(k + "rope.scaling.factor", 1f);
        }
        boolean gemma = this == GEMMA3;
        return new ModelConfig(
                ggufName, blocks, hidden, vocab,
                f.getInt(k + "context_length", 2048),
                heads, headsKv, ffn,
                headDim,
                f.getFloat(k + "attention.layer_norm_rms_epsilon", 1e-5f),
                f.getFloat(k + "rope.freq_base", 10000f),
                gemma ? 10000f : f.getFloat(k + "rope.freq_base", 10000f), // llama.cpp fixes Gemma-3's local base
                ropeScale,
                f.getInt(k + "rope.dimension_count", headDim),
                ggufRopeLayout,
                f.getInt(k + "attention.sliding_window", 0),
                gemma ? 6 : 0, // Gemma-3: five local layers, then one global (llama.cpp's swa pattern)
                gemma ? Activation.GELU_TANH : Activation.SILU,
                embeddingScale(hidden),
                tied,
                gemma,
                gemma);
    }

    /** A per-layer value: GGUF stores either one number for all layers or an array with one entry per layer. */
    private static int[] perLayer(GgufFile f, String key, int blocks, int[] fallback) {
        if (!f.has(key) && fallback != null) return fallback.clone();
        int[] a;
        if (f.value(key).value() instanceof Number) {
            a = new int[blocks];
            Arrays.fill(a, f.getInt(key));
        } else {
            a = f.getIntArray(key);
            if (a.length != blocks) {
                throw new ModelFormatException(f.path() + ": " + key + " has " + a.length + " entries for " + blocks + " blocks");
            }
        }
        return a;
    }
}
