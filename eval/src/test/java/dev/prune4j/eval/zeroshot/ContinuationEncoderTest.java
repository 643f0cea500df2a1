package dev.prune4j.eval.zeroshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** lm-evaluation-harness's request rules, on a character tokenizer where every id can be read off the text. */
class ContinuationEncoderTest {
    private static int[] ids(String s) {
        return new TinyModels.CharTokenizer(false).encode(s);
    }

    @Test
    void continuationIsSpacePlusChoiceAndTrailingSpaceMovesToIt() {
        var enc = new ContinuationEncoder(new TinyModels.CharTokenizer(false), 100);
        ContinuationEncoder.Encoded e = enc.encode(new Example("ab ", List.of("c", "de"), 0));
        assertThat(e.context()).containsExactly(ids("ab"));
        // "ab " + " c": the context's trailing space now leads the continuation, before the delimiter
        assertThat(e.continuations()[0]).containsExactly(ids("  c"));
        assertThat(e.continuations()[1]).containsExactly(ids("  de"));
        assertThat(e.truncated()).isFalse();
    }

    @Test
    void bosGoesFirstWhenTheModelAddsItAndStartsAnEmptyContextOtherwise() {
        var withBos = new ContinuationEncoder(new TinyModels.CharTokenizer(true), 100);
        assertThat(withBos.encode(new Example("hi", List.of("a", "b"), 0)).context()).containsExactly(0, ids("h")[0], ids("i")[0]);
        var noBos = new ContinuationEncoder(new TinyModels.CharTokenizer(false), 100);
        assertThat(noBos.encode(new Example("hi", List.of("a", "b"), 0)).context()).containsExactly(ids("hi"));
        assertThat(noBos.encode(new Example("", List.of("a", "b"), 0)).context()).containsExactly(0);
    }

    @Test
    void longContextsLoseTheirOldestTokensButKeepBos() {
        var enc = new ContinuationEncoder(new TinyModels.CharTokenizer(true), 8);
        ContinuationEncoder.Encoded e = enc.encode(new Example("abcdefghij", List.of("x", "yz"), 0));
        // 8 = BOS + context + longest continuation (" yz", 3 tokens): 4 context tokens are left
        assertThat(e.context()).containsExactly(0, ids("g")[0], ids("h")[0], ids("i")[0], ids("j")[0]);
        assertThat(e.truncated()).isTrue();
        assertThatThrownBy(() -> new ContinuationEncoder(new TinyModels.CharTokenizer(true), 3).encode(new Example("a", List.of("xyz", "b"), 0)))
                .hasMessageContaining("leaves no room for the context in 3 tokens");
    }
}
