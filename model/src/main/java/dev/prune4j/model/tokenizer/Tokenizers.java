package dev.prune4j.model.tokenizer;

import dev.prune4j.model.ModelFormatException;
import dev.prune4j.model.gguf.GgufFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Builds the tokenizer a model file describes: GGUF {@code tokenizer.ggml.*} metadata or a Hugging Face tokenizer.json. */
public final class Tokenizers {
    private static final System.Logger LOG = System.getLogger(Tokenizers.class.getName());
    private static final String PREFIX = "tokenizer.ggml.";

    private Tokenizers() {}

    /**
     * The tokenizer of a GGUF model, with llama.cpp's defaults where a key is absent: SentencePiece ("llama") models
     * add BOS and a space prefix and use BOS 1, EOS 2, UNK 0; byte-level BPE ("gpt2") models use id 11 for BOS and EOS
     * and add BOS only for the pre-tokenizers that llama.cpp says need it (llama3). Out-of-range ids fall back to
     * the default, as in llama.cpp.
     */
    public static Tokenizer fromGguf(GgufFile gguf) {
        return fromGguf(gguf, null);
    }

    /** As {@link #fromGguf(GgufFile)}, with {@code tokenizer.ggml.pre} replaced when {@code preOverride} is not null. */
    static Tokenizer fromGguf(GgufFile gguf, String preOverride) {
        String model = gguf.getString(PREFIX + "model");
        String[] tokens = gguf.getStringArray(PREFIX + "tokens");
        int[] types = gguf.has(PREFIX + "token_type") ? gguf.getIntArray(PREFIX + "token_type") : null;
        float[] scores = gguf.has(PREFIX + "scores") ? scores(gguf) : null;
        checkLength(gguf, "token_type", types == null ? tokens.length : types.length, tokens.length);
        checkLength(gguf, "scores", scores == null ? tokens.length : scores.length, tokens.length);
        Vocabulary vocabulary = new Vocabulary(tokens, scores, types);
        int n = tokens.length;
        return switch (model) {
            case "llama" -> new SentencePieceBpe(vocabulary,
                    gguf.getBoolean(PREFIX + "add_space_prefix", true),
                    specialId(gguf, "bos_token_id", 1, n),
                    specialId(gguf, "eos_token_id", 2, n),
                    specialId(gguf, "unknown_token_id", 0, n),
                    gguf.getBoolean(PREFIX + "add_bos_token", true));
            case "gpt2" -> byteLevelBpe(gguf, preOverride != null ? preOverride : gguf.getString(PREFIX + "pre", null),
                    vocabulary, n);
            default -> throw ModelFormatException.of(gguf.path(),
                    "unsupported " + PREFIX + "model '" + model + "' (supported: llama, gpt2)");
        };
    }

    private static Tokenizer byteLevelBpe(GgufFile gguf, String pre, Vocabulary vocabulary, int n) {
        if (pre == null) {
            LOG.log(System.Logger.Level.WARNING, "{0}: no {1}pre, using llama.cpp''s ''default'' pre-tokenizer; "
                    + "tokenization quality may suffer", gguf.path(), PREFIX);
            pre = "default";
        }
        String name = pre;
        BpePreset preset = BpePreset.forName(pre).orElseThrow(() -> ModelFormatException.of(gguf.path(),
                "unsupported " + PREFIX + "pre '" + name + "' (supported: " + String.join(", ", BpePreset.names()) + ")"));
        String[] merges = gguf.getStringArray(PREFIX + "merges");
        Map<String, Integer> ranks = HashMap.newHashMap(merges.length);
        for (int i = 0; i < merges.length; i++) ranks.putIfAbsent(merges[i], i);
        BpeTokenizer.Config config = new BpeTokenizer.Config(TextNormalizer.NONE, preset.preTokenizer(), true,
                preset.ignoreMerges(), preset.cleanSpaces(), false, false, BpeTokenizer.UnknownPieces.LLAMA_CPP, false,
                specialId(gguf, "bos_token_id", 11, n),
                specialId(gguf, "eos_token_id", 11, n),
                specialId(gguf, "unknown_token_id", -1, n),
                gguf.getBoolean(PREFIX + "add_bos_token", preset.addBos()));
        return new BpeTokenizer(vocabulary, ranks, config);
    }

    /**
     * The tokenizer of a Hugging Face {@code tokenizer.json} ({@code model.type = "BPE"}); BOS/EOS and add-BOS come
     * from a {@code tokenizer_config.json} beside it when present. See {@link TokenizerJson} for what is supported.
     */
    public static Tokenizer fromTokenizerJson(Path tokenizerJson) throws IOException {
        return TokenizerJson.load(tokenizerJson);
    }

    private static float[] scores(GgufFile gguf) {
        Object v = gguf.value(PREFIX + "scores").value();
        if (v instanceof float[] f) return f;
        int[] ints = gguf.getIntArray(PREFIX + "scores"); // llama.cpp also accepts int32 scores
        float[] f = new float[ints.length];
        for (int i = 0; i < ints.length; i++) f[i] = ints[i];
        return f;
    }

    private static void checkLength(GgufFile gguf, String key, int length, int tokens) {
        if (length < tokens) {
            throw ModelFormatException.of(gguf.path(), PREFIX + key + " has " + length + " entries for " + tokens + " tokens");
        }
    }

    private static int specialId(GgufFile gguf, String key, int fallback, int n) {
        int id = fallback < n ? fallback : -1;
        if (!gguf.has(PREFIX + key)) return id;
        long stored = gguf.getLong(PREFIX + key);
        if (stored < 0 || stored >= n) {
            LOG.log(System.Logger.Level.WARNING, "{0}: {1}{2} = {3} is outside the vocabulary, using {4}",
                    gguf.path(), PREFIX, key, stored, id);
            return id;
        }
        return (int) stored;
    }
}
