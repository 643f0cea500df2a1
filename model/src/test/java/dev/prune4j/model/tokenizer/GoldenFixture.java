package dev.prune4j.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;

/**
 * Token ids and decoded text that llama.cpp produced for {@code tokenizer/cases.json}
 * ({@code tools/reference/tokenize.mjs}), one resource per model.
 */
record GoldenFixture(String model, List<Case> cases) {
    record Case(String text, int[] ids, String decoded) {
        String label() {
            String t = text.length() > 40 ? text.substring(0, 40) + "… (" + text.length() + " chars)" : text;
            return t.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r");
        }
    }

    static GoldenFixture load(String resource) throws IOException {
        try (InputStream in = GoldenFixture.class.getResourceAsStream("/tokenizer/" + resource)) {
            if (in == null) throw new IllegalStateException("missing test resource tokenizer/" + resource);
            JsonNode root = new ObjectMapper().readTree(in);
            List<Case> cases = new ArrayList<>();
            for (JsonNode c : root.path("cases")) {
                int[] ids = new int[c.path("ids").size()];
                for (int i = 0; i < ids.length; i++) ids[i] = c.path("ids").get(i).asInt();
                cases.add(new Case(c.path("text").asText(), ids, c.path("decoded").asText()));
            }
            return new GoldenFixture(root.path("model").asText(), cases);
        }
    }

    /**
     * Per case: our ids equal llama.cpp's, our decoding of them equals llama.cpp's detokenization, and where llama.cpp
     * gets the text back, so do we.
     */
    List<DynamicTest> tests(Tokenizer tokenizer) {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases) {
            tests.add(dynamicTest("encode \"" + c.label() + "\"", () -> assertThat(tokenizer.encode(c.text()))
                    .as("ids of %s for %s", model, c.label())
                    .containsExactly(c.ids())));
            tests.add(dynamicTest("decode \"" + c.label() + "\"", () -> assertThat(tokenizer.decode(c.ids()))
                    .as("text of llama.cpp's ids for %s", c.label())
                    .isEqualTo(c.decoded())));
            if (c.decoded().equals(c.text())) { // llama.cpp round-trips this text, so must we
                tests.add(dynamicTest("round trip \"" + c.label() + "\"",
                        () -> assertThat(tokenizer.decode(tokenizer.encode(c.text()))).isEqualTo(c.text())));
            }
        }
        return tests;
    }
}
