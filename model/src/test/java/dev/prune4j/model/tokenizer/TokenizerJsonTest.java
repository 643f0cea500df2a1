package dev.prune4j.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prune4j.model.ModelFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * tokenizer.json files against the ids the Hugging Face {@code tokenizers} library gave for them
 * ({@code tools/reference/hf_tokenizer_fixtures.py}).
 */
class TokenizerJsonTest {
    static Path resource(String name) throws URISyntaxException {
        return Path.of(TokenizerJsonTest.class.getResource("/tokenizer/hf/" + name).toURI());
    }

    static List<DynamicTest> againstHuggingFace(String name) throws Exception {
        Tokenizer tokenizer = Tokenizers.fromTokenizerJson(resource(name + ".tokenizer.json"));
        JsonNode expected;
        try (InputStream in = Files.newInputStream(resource(name + ".expected.json"))) {
            expected = new ObjectMapper().readTree(in);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : expected.path("cases")) {
            String text = c.path("text").asText();
            int[] ids = new int[c.path("ids").size()];
            for (int i = 0; i < ids.length; i++) ids[i] = c.path("ids").get(i).asInt();
            String label = text.replace("\n", "\\n").replace("\t", "\\t");
            tests.add(dynamicTest("encode \"" + label + "\"",
                    () -> assertThat(tokenizer.encode(text)).as("ids of %s", label).containsExactly(ids)));
            tests.add(dynamicTest("decode \"" + label + "\"",
                    () -> assertThat(tokenizer.decode(ids)).isEqualTo(c.path("decoded").asText())));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> byteLevelWithLlama3SplitAndPairMerges() throws Exception {
        return againstHuggingFace("bytelevel-llama3");
    }

    @TestFactory
    List<DynamicTest> byteFallbackWithStringMerges() throws Exception {
        return againstHuggingFace("bytefallback-spm");
    }

    @Test
    void specialTokensFromThePostProcessor() throws Exception {
        Tokenizer t = Tokenizers.fromTokenizerJson(resource("bytelevel-llama3.tokenizer.json"));
        assertThat(t.bos()).isEqualTo(0);
        assertThat(t.addBos()).as("TemplateProcessing starts with <|begin|>").isTrue();
        assertThat(t.isSpecial(0)).isTrue();
        assertThat(t.encode("<|begin|>")).as("special-token text is not parsed").doesNotContain(0);
        assertThat(t.piece(400)).isEqualTo("<tag>");
    }

    @Test
    void bosAndEosFromTokenizerConfigBesideIt(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("tokenizer.json");
        Files.copy(resource("bytefallback-spm.tokenizer.json"), json);
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"bos_token\": {\"content\": \"<s>\"}, \"eos_token\": \"</s>\", \"add_bos_token\": true}");
        Tokenizer t = Tokenizers.fromTokenizerJson(json);
        assertThat(t.piece(t.bos())).isEqualTo("<s>");
        assertThat(t.piece(t.eos())).isEqualTo("</s>");
        assertThat(t.addBos()).isTrue();
    }

    @Test
    void refusesOtherModelTypesNamingTheFile(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("tokenizer.json");
        Files.writeString(json, "{\"model\": {\"type\": \"Unigram\", \"vocab\": []}}");
        assertThatThrownBy(() -> Tokenizers.fromTokenizerJson(json))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(json.toString())
                .hasMessageContaining("Unigram");
    }
}
