package dev.prune4j.model.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prune4j.model.ModelFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Hugging Face {@code tokenizer.json} with a BPE model into a {@link BpeTokenizer}.
 * <p>
 * Supported: vocab; merges as {@code "a b"} strings or {@code ["a", "b"]} pairs; {@code byte_fallback},
 * {@code unk_token}, {@code fuse_unk}, {@code ignore_merges}; added tokens (special ones become control tokens and
 * are not parsed out of text, as with llama.cpp's {@code parse_special = false}; the others are split out first);
 * normalizers Sequence, Prepend, Replace, NFC, NFKC; pre-tokenizers Sequence, ByteLevel, Digits, Split (behavior
 * Isolated) and Metaspace. The GPT-2, Llama-3 and Qwen2 split patterns run on the same scanners as the GGUF
 * tokenizers; any other Split pattern runs on Java's regex engine with Unicode classes. Anything else is refused with
 * a message naming the file and the component.
 */
final class TokenizerJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final char SPACE_MARKER = '\u2581';
    static final String GPT2_PATTERN = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
    static final String LLAMA3_PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    static final String QWEN2_PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private final Path path;
    private final List<SplitStage> stages = new ArrayList<>();
    private final List<TextNormalizer> normalizers = new ArrayList<>();
    private boolean byteLevel;
    private boolean prependsSpaceMarker;

    private TokenizerJson(Path path) {
        this.path = path;
    }

    static BpeTokenizer load(Path path) throws IOException {
        return new TokenizerJson(path).read(JSON.readTree(path.toFile()));
    }

    private BpeTokenizer read(JsonNode root) throws IOException {
        JsonNode model = root.path("model");
        String type = model.path("type").asText("BPE"); // older files omit it for BPE
        if (!type.equals("BPE")) throw error("model.type is '" + type + "', only BPE is supported");
        if (!model.path("vocab").isObject()) throw error("model.vocab is missing or not an object");
        for (String affix : new String[] {"continuing_subword_prefix", "end_of_word_suffix"}) {
            if (model.path(affix).isTextual() && !model.path(affix).asText().isEmpty()) {
                throw error("model." + affix + " is set; BPE with word-piece affixes is not supported");
            }
        }

        Map<String, Integer> vocab = new HashMap<>();
        model.path("vocab").properties().forEach(e -> vocab.put(e.getKey(), e.getValue().asInt()));
        Map<Integer, JsonNode> added = new HashMap<>();
        for (JsonNode t : root.path("added_tokens")) added.put(t.path("id").asInt(), t);
        int n = 0;
        for (int id : vocab.values()) n = Math.max(n, id + 1);
        for (int id : added.keySet()) n = Math.max(n, id + 1);

        boolean byteFallback = model.path("byte_fallback").asBoolean(false);
        String unkText = model.path("unk_token").isTextual() ? model.path("unk_token").asText() : null;
        String[] pieces = new String[n];
        int[] types = new int[n]; // GGUF token types, so the vocabulary treats both formats alike
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            int id = e.getValue();
            pieces[id] = e.getKey();
            boolean isByte = byteFallback && e.getKey().matches("<0x[0-9A-F]{2}>");
            types[id] = e.getKey().equals(unkText) ? 2 : isByte ? 6 : 1;
        }
        for (Map.Entry<Integer, JsonNode> e : added.entrySet()) {
            int id = e.getKey();
            pieces[id] = e.getValue().path("content").asText();
            types[id] = pieces[id].equals(unkText) ? 2 : e.getValue().path("special").asBoolean(false) ? 3 : 4;
        }
        for (int i = 0; i < n; i++) {
            if (pieces[i] == null) {
                pieces[i] = "";
                types[i] = 5; // a hole in the id range: unused
            }
        }
        Vocabulary vocabulary = new Vocabulary(pieces, null, types);

        readNormalizer(root.path("normalizer"));
        readPreTokenizer(root.path("pre_tokenizer"));
        if ("ByteLevel".equals(root.path("decoder").path("type").asText())) byteLevel = true;

        Map<String, Integer> ranks = readMerges(model.path("merges"));
        TokenizerConfig cfg = TokenizerConfig.besides(path, root, vocabulary);
        TextNormalizer normalizer = TextNormalizer.chain(normalizers);
        BpeTokenizer.UnknownPieces unknownPieces = byteFallback
                ? BpeTokenizer.UnknownPieces.BYTE_FALLBACK : BpeTokenizer.UnknownPieces.UNKNOWN_TOKEN;
        BpeTokenizer.Config config = new BpeTokenizer.Config(normalizer,
                stages.isEmpty() ? null : new PreTokenizer(path.getFileName().toString(), stages),
                byteLevel, model.path("ignore_merges").asBoolean(false), cfg.cleanSpaces(), !byteLevel,
                prependsSpaceMarker, unknownPieces, model.path("fuse_unk").asBoolean(false),
                cfg.bos(), cfg.eos(), unkText == null ? -1 : vocabulary.id(unkText), cfg.addBos());
        return new BpeTokenizer(vocabulary, ranks, config);
    }

    private Map<String, Integer> readMerges(JsonNode merges) {
        Map<String, Integer> ranks = HashMap.newHashMap(merges.size());
        int rank = 0;
        for (JsonNode m : merges) {
            String key;
            if (m.isTextual()) key = m.asText();
            else if (m.isArray() && m.size() == 2) key = m.get(0).asText() + " " + m.get(1).asText();
            else throw error("model.merges[" + rank + "] is neither \"a b\" nor [\"a\", \"b\"]: " + m);
            ranks.putIfAbsent(key, rank++);
        }
        return ranks;
    }

    private void readNormalizer(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) return;
        String type = node.path("type").asText();
        switch (type) {
            case "Sequence" -> node.path("normalizers").forEach(this::readNormalizer);
            case "Prepend" -> {
                String prefix = node.path("prepend").asText();
                if (prefix.equals(String.valueOf(SPACE_MARKER))) prependsSpaceMarker = true;
                normalizers.add((s, atStart) -> s.isEmpty() ? s : prefix + s);
            }
            case "Replace" -> {
                String from = literalPattern(node.path("pattern"), "normalizer Replace");
                String to = node.path("content").asText();
                normalizers.add((s, atStart) -> s.replace(from, to));
            }
            case "NFC" -> normalizers.add((s, atStart) -> Normalizer.normalize(s, Normalizer.Form.NFC));
            case "NFKC" -> normalizers.add((s, atStart) -> Normalizer.normalize(s, Normalizer.Form.NFKC));
            default -> throw error("unsupported normalizer type '" + type + "'");
        }
    }

    private void readPreTokenizer(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) return;
        String type = node.path("type").asText();
        switch (type) {
            case "Sequence" -> node.path("pretokenizers").forEach(this::readPreTokenizer);
            case "ByteLevel" -> {
                byteLevel = true;
                if (node.path("add_prefix_space").asBoolean(false)) {
                    normalizers.add((s, atStart) -> s.isEmpty() || s.charAt(0) == ' ' ? s : " " + s);
                }
                if (node.path("use_regex").asBoolean(true)) stages.add(new Gpt2Split());
            }
            case "Digits" -> stages.add(RegexSplit.llamaCpp(
                    node.path("individual_digits").asBoolean(false) ? "\\p{N}" : "\\p{N}+"));
            case "Split" -> {
                String behavior = node.path("behavior").asText();
                if (!behavior.equals("Isolated") || node.path("invert").asBoolean(false)) {
                    throw error("unsupported Split pre-tokenizer (behavior " + behavior + ", invert "
                            + node.path("invert").asBoolean(false) + "); only Isolated without invert is supported");
                }
                JsonNode pattern = node.path("pattern");
                if (pattern.has("Regex")) stages.add(splitFor(pattern.get("Regex").asText()));
                else stages.add(RegexSplit.unicode(java.util.regex.Pattern.quote(literalPattern(pattern, "Split"))));
            }
            case "Metaspace" -> readMetaspace(node);
            default -> throw error("unsupported pre_tokenizer type '" + type + "'");
        }
    }

    private void readMetaspace(JsonNode node) {
        String replacement = node.path("replacement").asText(String.valueOf(SPACE_MARKER));
        String scheme = node.path("prepend_scheme").asText(node.path("add_prefix_space").asBoolean(true) ? "always" : "never");
        normalizers.add((s, atStart) -> s.replace(" ", replacement));
        if (!scheme.equals("never")) {
            prependsSpaceMarker = true;
            boolean always = scheme.equals("always");
            normalizers.add((s, atStart) -> s.isEmpty() || s.startsWith(replacement) || !(always || atStart)
                    ? s : replacement + s);
        }
        if (node.path("split").asBoolean(true)) {
            String q = java.util.regex.Pattern.quote(replacement);
            stages.add(RegexSplit.unicode("(?s)" + q + "(?:(?!" + q + ").)*")); // each word starts at a marker
        }
    }

    /** Our scanners for the patterns llama.cpp has scanners for, Java's regex engine for the rest. */
    private static SplitStage splitFor(String regex) {
        return switch (regex) {
            case GPT2_PATTERN -> new Gpt2Split();
            case LLAMA3_PATTERN -> new Llama3Split(3);
            case QWEN2_PATTERN -> new Llama3Split(1);
            default -> RegexSplit.unicode(regex);
        };
    }

    private String literalPattern(JsonNode pattern, String where) {
        if (pattern.has("String")) return pattern.get("String").asText();
        throw error(where + " pattern " + pattern + " is not a plain string (regex patterns are not supported there)");
    }

    private ModelFormatException error(String what) {
        return ModelFormatException.of(path, what);
    }
}
