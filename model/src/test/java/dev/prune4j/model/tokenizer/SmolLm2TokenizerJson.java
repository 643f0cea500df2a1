package dev.prune4j.model.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prune4j.model.gguf.GgufFile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes SmolLM2's GGUF vocabulary as a tokenizer.json laid out like the one on the Hugging Face Hub: digits split
 * one by one, then GPT-2 byte-level splitting; merges as {@code ["a", "b"]} pairs; control tokens as special added tokens.
 */
final class SmolLm2TokenizerJson {
    private SmolLm2TokenizerJson() {}

    static void write(GgufFile gguf, Path out) throws IOException {
        ObjectMapper json = new ObjectMapper();
        String[] tokens = gguf.getStringArray("tokenizer.ggml.tokens");
        int[] types = gguf.getIntArray("tokenizer.ggml.token_type");
        ObjectNode root = json.createObjectNode();
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < tokens.length; i++) {
            if (types[i] == 3) added.addObject().put("id", i).put("content", tokens[i]).put("special", true).put("normalized", false);
        }
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer").put("type", "Sequence");
        ArrayNode steps = pre.putArray("pretokenizers");
        steps.addObject().put("type", "Digits").put("individual_digits", true);
        steps.addObject().put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true).put("use_regex", true);
        root.putObject("decoder").put("type", "ByteLevel");
        ObjectNode model = root.putObject("model").put("type", "BPE").put("byte_fallback", false).put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < tokens.length; i++) vocab.put(tokens[i], i);
        ArrayNode merges = model.putArray("merges");
        for (String m : gguf.getStringArray("tokenizer.ggml.merges")) {
            int space = m.indexOf(' ', 1);
            merges.addArray().add(m.substring(0, space)).add(m.substring(space + 1));
        }
        json.writeValue(out.toFile(), root);
    }
}
