package dev.prune4j.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected values are llama.cpp's detokenization of the same text with clean_spaces on (SmolLM2 retagged gpt-2). */
class SpaceCleanupTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "a , b . c ? d !                                  | a, b. c? d!",
        "he said ' hi ' there                             | he said'hi'there",
        "I 'm you 're they 'll don 't we 've it 's I 'd   | I'm you're they 'll don 't we've it's I 'd",
        "\" ' \"                                          | '",
        "x ' y                                            | x'y",
        "\"\"                                             | \"\"",
    })
    void matchesLlamaCpp(String in, String expected) {
        assertThat(SpaceCleanup.apply(in.strip())).isEqualTo(expected.strip());
    }
}
