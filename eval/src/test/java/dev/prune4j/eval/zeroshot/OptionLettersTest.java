package dev.prune4j.eval.zeroshot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The first standalone option letter of a response. */
class OptionLettersTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "B|1", "B.|1", "(C) because|2", "The answer is D.|3", "Answer: a|-1", "Because of A|0",
            "E|-1", "I think it is C, not A|2", "None of them|-1", "'A good one' says B|0", "|-1"})
    void firstStandaloneValidLetter(String response, int expected) {
        assertThat(OptionLetters.first(response == null ? "" : response, 4)).isEqualTo(expected);
    }
}
