package dev.prune4j.model.tokenizer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one GGUF {@code tokenizer.ggml.pre} value means to llama.cpp's byte-level BPE: the pre-tokenizer, whether a
 * word that is itself a token skips merging ({@code ignore_merges}), whether decoding cleans up spaces before
 * punctuation ({@code clean_spaces}) and whether BOS is added by default. Only the names whose splitters we have
 * are listed; others are refused, as llama.cpp refuses names it does not know.
 */
record BpePreset(PreTokenizer preTokenizer, boolean ignoreMerges, boolean cleanSpaces, boolean addBos) {
    private static final Map<String, BpePreset> BY_NAME = new LinkedHashMap<>();

    static {
        PreTokenizer gpt2 = new PreTokenizer("gpt-2", List.of(new Gpt2Split()));
        PreTokenizer digitsThenGpt2 = new PreTokenizer("smollm", List.of(RegexSplit.llamaCpp("\\p{N}"), new Gpt2Split()));
        PreTokenizer llama3 = new PreTokenizer("llama3", List.of(new Llama3Split(3)));
        PreTokenizer qwen2 = new PreTokenizer("qwen2", List.of(new Llama3Split(1)));
        PreTokenizer fallback = new PreTokenizer("default", List.of(
                RegexSplit.llamaCpp("[\\p{P}\\$\\+<=>\\^~\\|]+"),
                new Gpt2Split(),
                RegexSplit.llamaCpp("\\p{N}+"),
                RegexSplit.llamaCpp("[0-9][0-9][0-9]")));

        // llama.cpp's llama_vocab::impl::load: BPE vocabularies clean spaces unless the name says otherwise
        for (String n : List.of("llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2")) {
            put(n, llama3, true, true, true);
        }
        for (String n : List.of("dbrx", "smaug-bpe")) put(n, llama3, false, true, false);
        for (String n : List.of("gpt-2", "phi-2", "mpt", "olmo", "jais", "mellum")) put(n, gpt2, false, true, false);
        for (String n : List.of("exaone4", "trillion", "granite-docling")) put(n, gpt2, false, false, false);
        for (String n : List.of("starcoder", "refact", "codeshell", "exaone", "minerva-7b", "mellum2")) {
            put(n, digitsThenGpt2, false, true, false);
        }
        for (String n : List.of("smollm", "command-r")) put(n, digitsThenGpt2, false, false, false);
        for (String n : List.of("qwen2", "deepseek-r1-qwen", "megrez", "hunyuan", "solar-open")) put(n, qwen2, false, false, false);
        put("stablelm2", qwen2, false, true, false);
        put("default", fallback, false, true, false);
    }

    private static void put(String name, PreTokenizer p, boolean ignoreMerges, boolean cleanSpaces, boolean addBos) {
        BY_NAME.put(name, new BpePreset(p, ignoreMerges, cleanSpaces, addBos));
    }

    /** The preset llama.cpp uses for a {@code tokenizer.ggml.pre} name, if we have its splitter. */
    static Optional<BpePreset> forName(String pre) {
        return Optional.ofNullable(BY_NAME.get(pre));
    }

    /** The names {@link #forName} accepts, for error messages. */
    static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }
}
