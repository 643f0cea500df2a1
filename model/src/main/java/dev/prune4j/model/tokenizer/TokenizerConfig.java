package dev.prune4j.model.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The special-token facts a tokenizer.json leaves to its sibling {@code tokenizer_config.json}: which tokens are
 * BOS and EOS, whether BOS is added, whether decoding cleans up spaces. Without that file, BOS and add-BOS come from
 * a {@code TemplateProcessing} post-processor that starts with a special token.
 *
 * @param bos         BOS id, or -1
 * @param eos         EOS id, or -1
 * @param addBos      {@code add_bos_token}
 * @param cleanSpaces {@code clean_up_tokenization_spaces}, only when set to true explicitly
 */
record TokenizerConfig(int bos, int eos, boolean addBos, boolean cleanSpaces) {
    static TokenizerConfig besides(Path tokenizerJson, JsonNode tokenizer, Vocabulary vocabulary) throws IOException {
        int bos = -1;
        boolean addBos = false;
        JsonNode single = tokenizer.path("post_processor").path("single");
        if (single.isArray() && single.size() > 0 && single.get(0).has("SpecialToken")) {
            bos = vocabulary.id(single.get(0).path("SpecialToken").path("id").asText());
            addBos = bos >= 0;
        }
        Path file = tokenizerJson.resolveSibling("tokenizer_config.json");
        if (!Files.isRegularFile(file)) return new TokenizerConfig(bos, -1, addBos, false);
        JsonNode cfg = new ObjectMapper().readTree(file.toFile());
        int configBos = vocabulary.id(tokenText(cfg.path("bos_token")));
        if (configBos >= 0) bos = configBos;
        int eos = vocabulary.id(tokenText(cfg.path("eos_token")));
        if (cfg.has("add_bos_token")) addBos = cfg.path("add_bos_token").asBoolean() && bos >= 0;
        return new TokenizerConfig(bos, eos, addBos, cfg.path("clean_up_tokenization_spaces").asBoolean(false));
    }

    /** A token given as {@code "<s>"} or as {@code {"content": "<s>", …}}; empty if absent. */
    private static String tokenText(JsonNode node) {
        if (node.isTextual()) return node.asText();
        return node.path("content").asText("");
    }
}
