package dev.prune4j.model.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prune4j.model.ModelFormatException;
import dev.prune4j.model.arch.Architecture;
import dev.prune4j.model.config.Activation;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.tensor.kernels.Rope;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Hugging Face {@code config.json} ↔ {@link ModelConfig}. HF checkpoints keep q/k rows in their original order, so
 * every HF model uses NEOX RoPE pairs (the GGUF converter permutes Llama's rows to use NORMAL pairs instead).
 * Per-layer widths use the documented prune4j extension keys {@code prune4j_layer_num_heads},
 * {@code prune4j_layer_num_kv_heads} and {@code prune4j_layer_intermediate_size}.
 */
public final class HfConfig {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HfConfig() {}

    /** The architecture named by {@code model_type}. */
    public static Architecture architecture(JsonNode c, Path file) {
        String type = c.path("model_type").asText("");
        return switch (type) {
            case "llama", "mistral" -> Architecture.LLAMA;
            case "qwen2" -> Architecture.QWEN2;
            case "gemma3_text", "gemma3" -> Architecture.GEMMA3;
            default -> throw ModelFormatException.of(file, "unsupported model_type \"" + type
                    + "\" (llama, mistral, qwen2 and gemma3_text are supported)");
        };
    }

    public static ModelConfig read(Path file) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        JsonNode c = root.has("text_config") ? root.get("text_config") : root; // multimodal Gemma-3 wraps the text model
        Architecture arch = architecture(c, file);
        boolean gemma = arch == Architecture.GEMMA3;
        int layers = required(c, "num_hidden_layers", file);
        int hidden = required(c, "hidden_size", file);
        int heads = required(c, "num_attention_heads", file);
        int headDim = c.path("head_dim").asInt(hidden / heads);
        float ropeScale = 1f;
        JsonNode rs = c.path("rope_scaling");
        if (rs.isObject()) {
            String t = rs.path("rope_type").asText(rs.path("type").asText("default"));
            if (!t.equals("linear") && !t.equals("default")) {
                throw ModelFormatException.of(file, "rope_scaling type \"" + t + "\" is not supported (linear is)");
            }
            if (t.equals("linear")) ropeScale = 1f / (float) rs.path("factor").asDouble(1);
        }
        int window = c.path("sliding_window").isNumber() && (gemma || c.path("use_sliding_window").asBoolean(false))
                ? c.path("sliding_window").asInt() : 0;
        float theta = (float) c.path("rope_theta").asDouble(10000);
        return new ModelConfig(
                arch.ggufName, layers, hidden, required(c, "vocab_size", file),
                c.path("max_position_embeddings").asInt(2048),
                perLayer(c, "prune4j_layer_num_heads", layers, heads),
                perLayer(c, "prune4j_layer_num_kv_heads", layers, c.path("num_key_value_heads").asInt(heads)),
                perLayer(c, "prune4j_layer_intermediate_size", layers, required(c, "intermediate_size", file)),
                headDim,
                (float) c.path("rms_norm_eps").asDouble(1e-6),
                theta,
                gemma ? (float) c.path("rope_local_base_freq").asDouble(10000) : theta,
                ropeScale, headDim, Rope.Layout.NEOX,
                window,
                gemma ? c.path("sliding_window_pattern").asInt(6) : 0,
                gemma ? Activation.GELU_TANH : Activation.SILU,
                arch.embeddingScale(hidden),
                c.path("tie_word_embeddings").asBoolean(gemma),
                gemma, gemma);
    }

    /** The {@code config.json} of a model with this config (per-layer widths through the extension keys). */
    public static ObjectNode write(ModelConfig c) {
        ObjectNode o = JSON.createObjectNode();
        boolean gemma = c.architecture().equals(Architecture.GEMMA3.ggufName);
        boolean qwen = c.architecture().equals(Architecture.QWEN2.ggufName);
        o.putArray("architectures").add(gemma ? "Gemma3ForCausalLM" : qwen ? "Qwen2ForCausalLM" : "LlamaForCausalLM");
        o.put("model_type", gemma ? "gemma3_text" : c.architecture());
        o.put("hidden_size", c.embeddingLength());
        o.put("num_hidden_layers", c.blockCount());
        o.put("num_attention_heads", c.headCount(0));
        o.put("num_key_value_heads", c.headCountKv(0));
        o.put("intermediate_size", c.feedForwardLength(0));
        o.put("head_dim", c.headDim());
        o.put("vocab_size", c.vocabSize());
        o.put("max_position_embeddings", c.contextLength());
        o.put("rms_norm_eps", c.rmsNormEps());
        o.put("rope_theta", c.ropeFreqBase());
        o.put("tie_word_embeddings", c.tiedEmbeddings());
        o.put("torch_dtype", "float32");
        if (c.ropeScale() != 1f) {
            o.putObject("rope_scaling").put("rope_type", "linear").put("factor", 1 / c.ropeScale());
        }
        if (gemma) {
            o.put("hidden_activation", "gelu_pytorch_tanh");
            o.put("query_pre_attn_scalar", c.headDim());
            o.put("sliding_window", c.slidingWindow());
            o.put("sliding_window_pattern", c.slidingWindowPattern());
            o.put("rope_local_base_freq", c.ropeFreqBaseSwa());
        } else {
            o.put("hidden_act", "silu");
        }
        if (!c.isUniform()) {
            putArray(o, "prune4j_layer_num_heads", c.headCount());
            putArray(o, "prune4j_layer_num_kv_heads", c.headCountKv());
            putArray(o, "prune4j_layer_intermediate_size", c.feedForwardLength());
        }
        return o;
    }

    private static void putArray(ObjectNode o, String key, int[] values) {
        var a = o.putArray(key);
        Arrays.stream(values).forEach(a::add);
    }

    private static int required(JsonNode c, String key, Path file) {
        JsonNode n = c.get(key);
        if (n == null || !n.canConvertToInt()) throw ModelFormatException.of(file, "missing or non-integer key \"" + key + "\"");
        return n.asInt();
    }

    private static int[] perLayer(JsonNode c, String key, int layers, int uniform) {
        int[] a = new int[layers];
        JsonNode n = c.get(key);
        if (n == null) {
            Arrays.fill(a, uniform);
            return a;
        }
        if (n.size() != layers) throw new ModelFormatException(key + " has " + n.size() + " entries for " + layers + " layers");
        for (int i = 0; i < layers; i++) a[i] = n.get(i).asInt();
        return a;
    }
}
