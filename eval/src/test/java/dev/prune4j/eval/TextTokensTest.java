package dev.prune4j.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prune4j.model.Assets;
import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The first tokens of a text equal the start of tokenizing all of it. */
class TextTokensTest {
    @Test
    void prefixTokensEqualTheWholeTextsTokens() throws Exception {
        Path p = Assets.stories260K().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(p != null, "../shared/models/stories260K-f32.gguf is absent");
        Tokenizer tok = LanguageModel.load(p).tokenizer();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 400; i++) sb.append("Once upon a time, Lily saw ").append(i % 7).append(" big dogs. ");
        String text = sb.toString();
        int[] all = tok.encode(text);
        for (int n : new int[] {1, 100, 1000, all.length - 5}) {
            assertThat(TextTokens.first(tok, text, n)).as("first %d", n).containsExactly(Arrays.copyOf(all, n));
        }
        assertThat(TextTokens.first(tok, text, all.length + 10)).containsExactly(all);
        assertThat(TextTokens.first(tok, text, 0)).containsExactly(all);
    }
}
