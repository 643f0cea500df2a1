package dev.prune4j.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Word boundaries of the llama.cpp pre-tokenizers on inputs where they differ from each other. */
class PreTokenizerTest {
    static List<String> words(String pre, String text) {
        return BpePreset.forName(pre).orElseThrow().preTokenizer().words(text);
    }

    @Test
    void digitsGoInThreesForLlama3AndOneByOneForQwen2AndSmolLm() {
        assertThat(words("llama3", "x 1234567")).containsExactly("x", " ", "123", "456", "7");
        assertThat(words("qwen2", "1234")).containsExactly("1", "2", "3", "4");
        assertThat(words("smollm", " 12ab")).containsExactly(" ", "1", "2", "ab");
        assertThat(words("gpt-2", " 12ab")).containsExactly(" 12", "ab");
    }

    @Test
    void contractionsAreCaseInsensitiveOnlyForLlama3() {
        assertThat(words("llama3", "I'LL")).containsExactly("I", "'LL");
        assertThat(words("gpt-2", "I'LL")).containsExactly("I", "'", "LL");
        assertThat(words("gpt-2", "I'll")).containsExactly("I", "'ll");
    }

    @Test
    void whitespaceRunsLeaveTheirLastSpaceToTheNextWord() {
        assertThat(words("gpt-2", "a   b")).containsExactly("a", "  ", " b");
        assertThat(words("gpt-2", "a   ")).containsExactly("a", "   ");
        assertThat(words("llama3", "a \n\n  b")).containsExactly("a", " \n\n", " ", " b");
        assertThat(words("llama3", "x!!\n\ny")).containsExactly("x", "!!\n\n", "y");
    }

    @Test
    void unicodeClassesFollowUnicodeNotJavaWhitespace() {
        // U+00A0 is White_Space (llama.cpp, Python) although Character.isWhitespace says no; only U+0020 joins a word
        assertThat(words("gpt-2", "a\u00a0\u00a0b")).containsExactly("a", "\u00a0", "\u00a0", "b");
        assertThat(words("llama3", "\u00e9t\u00e9 \u65e5\u672c")).containsExactly("\u00e9t\u00e9", " \u65e5\u672c");
    }

    @Test
    void defaultSplitsPunctuationRunsAndDigitTriples() {
        assertThat(words("default", "ab,,cd 12345")).containsExactly("ab", ",,", "cd", " ", "123", "45");
    }

    @Test
    void collapsedRegexRewritesUnicodeClasses() {
        assertThat(RegexSplit.rewriteClasses("\\p{N}+")).isEqualTo("[\\x{D1}0-9]+");
        assertThat(RegexSplit.rewriteClasses("[^\\s\\p{L}]")).isEqualTo("[^\\s\\x{D2}A-Za-z]");
    }
}
