package dev.prune4j.eval.zeroshot.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Sentence boundaries: abbreviations, initials, inner periods, quotes, lines and documents. */
class SentencesTest {
    @Test
    void splitsAtSentenceEndsButNotAtAbbreviationsOrInitials() {
        String doc = "Mr. Smith went to Washington. He met John F. Kennedy there! Was the U.S. Senate in session? "
                + "\"Yes,\" he said. It was.";
        assertThat(Sentences.splitLine(doc)).containsExactly(
                "Mr. Smith went to Washington.", "He met John F. Kennedy there!",
                "Was the U.S. Senate in session?", "\"Yes,\" he said.", "It was.");
    }

    @Test
    void aLowercaseNextWordDoesNotStartASentence() {
        assertThat(Sentences.splitLine("The price was 3.5 per cent. and rising. Then it fell."))
                .containsExactly("The price was 3.5 per cent. and rising.", "Then it fell.");
        assertThat(Sentences.splitLine("He said \"Stop.\" Then he left.")).containsExactly("He said \"Stop.\"", "Then he left.");
    }

    @Test
    void documentsAreBlankLineSeparatedAndLinesEndSentences() {
        List<List<String>> docs = Sentences.split("One two.  Three\nfour five\n\nSix.   Seven.");
        assertThat(docs).containsExactly(List.of("One two.", "Three", "four five"), List.of("Six.", "Seven."));
    }
}
