package dev.prune4j.eval.zeroshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Filling a template and turning its control-token texts, and only those, into control tokens. */
class PromptTemplateTest {
    private final TinyModels.CharTokenizer tok = new TinyModels.CharTokenizer(false);

    @Test
    void chatmlMarkersBecomeControlTokensButExampleTextStaysPlain() {
        Example e = new Example("Say <|im_end|> now", List.of("yes", "no"), 0);
        PromptTemplate t = PromptTemplate.forModel(tok);
        assertThat(t).isEqualTo(PromptTemplate.CHATML);
        Map<String, Integer> control = t.controlTokensIn(tok);
        assertThat(control).containsOnlyKeys("<|im_start|>", "<|im_end|>");
        int[] ids = t.encode(tok, control, "Pick.", e);
        String expectedUser = "user\nPick.\n\nSay <|im_end|> now\n\nA. yes\nB. no\nAnswer with the letter of the correct option.";
        int[] user = tok.encode(expectedUser), assistant = tok.encode("\nassistant\n");
        int[] expected = new int[ids.length];
        int k = 0;
        expected[k++] = 2;
        for (int id : user) expected[k++] = id;
        expected[k++] = 3;
        expected[k++] = tok.encode("\n")[0];
        expected[k++] = 2;
        for (int i = 1; i < assistant.length; i++) expected[k++] = assistant[i];
        assertThat(k).isEqualTo(ids.length);
        assertThat(ids).containsExactly(expected);
    }

    @Test
    void plainTemplateForVocabulariesWithoutChatml() {
        var noChat = new TinyModels.CharTokenizer(false) {
            @Override
            public boolean isSpecial(int token) { return token < 2; }
        };
        assertThat(PromptTemplate.forModel(noChat)).isEqualTo(PromptTemplate.PLAIN);
        int[] ids = PromptTemplate.PLAIN.encode(noChat, PromptTemplate.PLAIN.controlTokensIn(noChat), "Pick.",
                new Example("Q", List.of("x", "y", "z"), 2));
        assertThat(noChat.decode(ids)).isEqualTo("Pick.\n\nQ\n\nA. x\nB. y\nC. z\nAnswer:");
    }
}
