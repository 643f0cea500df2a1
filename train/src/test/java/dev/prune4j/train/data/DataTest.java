package dev.prune4j.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prune4j.model.tokenizer.Tokenizer;
import dev.prune4j.train.loss.CrossEntropyLoss;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataTest {
    private static final int IGNORE = CrossEntropyLoss.IGNORE;

    /** One token per character (code point + 10); BOS 1, EOS 2. */
    private static Tokenizer chars(boolean addBos) {
        return new Tokenizer() {
            public int[] encode(String text) { return text.chars().map(c -> c + 10).toArray(); }
            public String decode(int[] tokens) { return ""; }
            public String piece(int token) { return ""; }
            public boolean isSpecial(int token) { return token < 10; }
            public int vocabSize() { return 300; }
            public int bos() { return 1; }
            public int eos() { return 2; }
            public boolean addBos() { return addBos; }
        };
    }

    @Test
    void textWindowsWithAndWithoutBos() {
        int[] text = {10, 11, 12, 13, 14, 15, 16, 17};
        List<Example> bos = TextWindows.of(text, 3, 1);
        assertThat(bos).hasSize(2);
        assertThat(bos.get(0).tokens()).containsExactly(1, 10, 11);
        assertThat(bos.get(0).targets()).containsExactly(10, 11, 12);
        assertThat(bos.get(1).tokens()).containsExactly(1, 13, 14);
        List<Example> plain = TextWindows.of(text, 3, -1);
        assertThat(plain).hasSize(2);
        assertThat(plain.get(0).tokens()).containsExactly(10, 11, 12);
        assertThat(plain.get(0).targets()).containsExactly(11, 12, 13);
        assertThat(plain.get(1).tokens()).containsExactly(13, 14, 15);
        assertThat(plain.get(1).targets()).containsExactly(14, 15, 16);
    }

    /** Prompt positions are ignored; the response and EOS are trained; truncation keeps the prefix. */
    @Test
    void instructionExamplesTrainOnResponseTokensOnly(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("data.jsonl");
        Files.writeString(f, """
                {"instruction": "ab", "output": "xy"}

                {"prompt": "c", "input": "ignored without template", "response": "z"}
                {"instruction": "a very long prompt that leaves nothing", "output": "q"}
                """);
        PromptTemplate t = PromptTemplate.of("Q:{instruction}\\nA:");
        InstructionData.Loaded l = InstructionData.load(f, chars(true), t, 12);
        assertThat(l.lines()).isEqualTo(4);
        assertThat(l.withoutResponseTokens()).isEqualTo(1);
        Example e = l.examples().get(0);
        // BOS Q : a b \n A : x y EOS -> prompt of 8 tokens (with BOS), response x y EOS
        int[] prompt = {1, 'Q' + 10, ':' + 10, 'a' + 10, 'b' + 10, '\n' + 10, 'A' + 10, ':' + 10};
        assertThat(e.tokens()).startsWith(prompt).endsWith('x' + 10, 'y' + 10);
        assertThat(e.targets()).containsExactly(IGNORE, IGNORE, IGNORE, IGNORE, IGNORE, IGNORE, IGNORE, 'x' + 10, 'y' + 10, 2);
        assertThat(PromptTemplate.ALPACA.render("do", "this")).contains("### Input:\nthis").endsWith("### Response:\n");
        assertThat(PromptTemplate.ALPACA.render("do", "")).doesNotContain("### Input:");
    }

    @Test
    void badLineNamesFileAndLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.jsonl");
        Files.writeString(f, "{\"instruction\": \"a\", \"output\": \"b\"}\n{\"question\": \"a\"}\n");
        assertThatThrownBy(() -> InstructionData.load(f, chars(false), PromptTemplate.ALPACA, 64))
                .hasMessageContaining("bad.jsonl:2").hasMessageContaining("instruction");
    }

    /** Every example once per epoch, in a new order each epoch; a sampler sought to a position continues identically. */
    @Test
    void samplerCoversEpochsAndResumesAtAPosition() {
        List<Example> ex = new ArrayList<>();
        for (int i = 0; i < 7; i++) ex.add(new Example(new int[] {i, i}, new int[] {i, IGNORE}));
        BatchSampler s = new BatchSampler(ex, 2, 5);
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            Batch b = s.next();
            seen.add(b.tokens()[0]);
            seen.add(b.tokens()[2]);
        }
        assertThat(seen.subList(0, 7)).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6);
        assertThat(seen.subList(7, 14)).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6);
        assertThat(seen.subList(7, 14)).isNotEqualTo(seen.subList(0, 7));
        BatchSampler.Position p = s.position();
        Batch a = s.next();
        BatchSampler t = new BatchSampler(ex, 2, 5);
        t.seek(p);
        assertThat(t.next()).usingRecursiveComparison().isEqualTo(a);
    }

    /** Shorter examples are right-padded with ignored targets. */
    @Test
    void padding() {
        BatchSampler s = new BatchSampler(List.of(new Example(new int[] {5, 6, 7}, new int[] {6, 7, 8}),
                new Example(new int[] {9}, new int[] {10})), 2, 0);
        Batch b = s.next();
        assertThat(b.seqLen()).isEqualTo(3);
        assertThat(b.targetCount()).isEqualTo(4);
        assertThat(b.targets()).contains(IGNORE);
    }
}
