package dev.prune4j.eval.zeroshot.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prune4j.eval.zeroshot.Example;
import dev.prune4j.eval.zeroshot.Task;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generated tasks on a synthetic corpus: deterministic, prefix-stable, well-formed, and only from test splits. */
class BuiltinTasksTest {
    private static final String[] WORDS = {"nation", "people", "government", "treasury", "commerce", "justice", "liberty",
            "congress", "army", "navy", "country", "states", "union", "peace", "trade", "law"};

    /** 40 documents of 30 sentences with 9–20 words each, from a seeded generator. */
    static String corpus() {
        Random r = new Random(42);
        StringBuilder text = new StringBuilder();
        for (int d = 0; d < 40; d++) {
            if (d > 0) text.append("\n\n");
            for (int s = 0; s < 30; s++) {
                if (s > 0) text.append(' ');
                int n = 9 + r.nextInt(12);
                for (int w = 0; w < n; w++) {
                    String word = WORDS[r.nextInt(WORDS.length)] + (w == n - 1 ? "" : d);
                    if (w == 0) word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
                    text.append(word).append(w == n - 1 ? "." : " ");
                }
            }
        }
        return text.toString();
    }

    @Test
    void clozeHoldsOutTheLastWordAmongFourDistinctWords() {
        String text = corpus();
        Task t = BuiltinTasks.SOTU_CLOZE.build(text, "synthetic", 200, 0);
        assertThat(t.examples()).hasSize(200);
        int[] goldAt = new int[4];
        for (Example e : t.examples()) {
            assertThat(e.choices()).hasSize(4);
            Set<String> lower = new HashSet<>();
            e.choices().forEach(c -> lower.add(c.toLowerCase(Locale.ROOT)));
            assertThat(lower).as("distinct choices").hasSize(4);
            String gold = e.choices().get(e.gold());
            // the context plus the gold word and a full stop is a sentence of the text
            String last = e.context().substring(e.context().lastIndexOf(". ") + 1).trim();
            assertThat(text).contains(last + " " + gold + ".");
            goldAt[e.gold()]++;
        }
        for (int n : goldAt) assertThat(n).as("gold position counts %s", java.util.Arrays.toString(goldAt)).isBetween(30, 70);
        assertThat(t.source()).isEqualTo("built-in sotu-cloze v1 from synthetic, seed 0");
    }

    @Test
    void nextSentenceDistractorsComeFromOtherDocumentsWithSimilarLength() {
        String text = corpus();
        List<List<String>> docs = Sentences.split(text);
        Task t = BuiltinTasks.SOTU_NEXT_SENTENCE.build(text, "synthetic", 100, 3);
        assertThat(t.examples()).hasSize(100);
        for (Example e : t.examples()) {
            String gold = e.choices().get(e.gold());
            int doc = docOf(docs, gold);
            assertThat(String.join(" ", docs.get(doc))).contains(e.context() + " " + gold);
            for (int c = 0; c < 4; c++) {
                if (c == e.gold()) continue;
                String d = e.choices().get(c);
                assertThat(docOf(docs, d)).as("distractor from another document").isNotEqualTo(doc);
                assertThat((double) d.length() / gold.length()).isBetween(0.8, 1.25);
            }
        }
    }

    /** Every synthetic document has its own word suffix, so a sentence names its document. */
    private static int docOf(List<List<String>> docs, String sentence) {
        for (int d = 0; d < docs.size(); d++) if (docs.get(d).contains(sentence)) return d;
        throw new AssertionError("sentence not in the corpus: " + sentence);
    }

    @Test
    void deterministicAndASmallerLimitIsAPrefix() {
        String text = corpus();
        for (BuiltinTasks b : List.of(BuiltinTasks.SOTU_CLOZE, BuiltinTasks.SOTU_NEXT_SENTENCE)) {
            List<Example> all = b.build(text, "x", 0, 5).examples();
            assertThat(b.build(text, "x", 0, 5).examples()).isEqualTo(all);
            assertThat(b.build(text, "x", 50, 5).examples()).isEqualTo(all.subList(0, 50));
            assertThat(b.build(text, "x", 50, 6).examples()).isNotEqualTo(all.subList(0, 50));
        }
    }

    @Test
    void everyBuiltinTaskReadsATestSplitOnly() {
        for (BuiltinTasks b : BuiltinTasks.values()) assertThat(b.split).endsWith(":test");
        assertThat(BuiltinTasks.named("cloze")).contains(BuiltinTasks.SOTU_CLOZE);
        assertThat(BuiltinTasks.named("Brown-Next-Sentence")).contains(BuiltinTasks.BROWN_NEXT_SENTENCE);
        assertThat(BuiltinTasks.named("piqa")).isEmpty();
    }
}
