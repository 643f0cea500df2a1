package dev.prune4j.eval.zeroshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prune4j.eval.Progress;
import dev.prune4j.model.forward.ForwardHooks;
import dev.prune4j.model.forward.Transformer;
import dev.prune4j.model.weights.RandomWeights;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Generative mode against an independent greedy decoder (the whole sequence re-run from an empty cache for every new
 * token) on a random model whose character tokenizer makes letters likely to appear in a short answer.
 */
class GenerativeScorerTest {
    @Test
    void responsesAndParsedLettersMatchAnIndependentGreedyDecode() {
        var config = TinyModels.config();
        var weights = RandomWeights.create(config, 12);
        var tok = new TinyModels.CharTokenizer(true);
        // louder output rows for "A"-"C" and the space, so that standalone letters turn up in the answers (seed and
        // factor picked so the three examples give one right, one wrong and one unanswered response)
        for (String s : new String[] {"A", "B", "C", " "}) {
            int id = tok.encode(s)[0], h = config.embeddingLength();
            for (int j = 0; j < h; j++) weights.output().weight()[id * h + j] *= 2.5f;
        }
        Transformer t = new Transformer(config, weights);
        List<Example> examples = List.of(
                new Example("Which is red?", List.of("sky", "grass", "apple"), 2),
                new Example("Pick the number.", List.of("two", "cat"), 0),
                new Example("Last one", List.of("a", "b", "c", "d"), 3));
        Task task = new Task("gen", "in-memory", "Choose.", examples);
        int maxNew = 12;
        TaskResult r = new GenerativeScorer(t, tok, PromptTemplate.PLAIN, maxNew).evaluate(task, Progress.NONE);

        int correct = 0, unanswered = 0;
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            String prompt = "Choose.\n\n" + e.context() + "\n\n" + PromptTemplate.options(e.choices()) + "\nAnswer:";
            String response = greedy(t, tok, prompt, maxNew);
            assertThat(r.outcomes().get(i).response()).as("example %d", i).isEqualTo(response);
            int letter = firstLetter(response, e.choices().size());
            assertThat(r.outcomes().get(i).prediction()).isEqualTo(letter);
            if (letter == e.gold()) correct++;
            if (letter < 0) unanswered++;
        }
        assertThat(r.acc()).isEqualTo(new Proportion(correct, examples.size()));
        assertThat(r.unanswered()).isEqualTo(unanswered);
        assertThat(new int[] {correct, unanswered}).containsExactly(1, 1);
        assertThat(r.accNorm()).isNull();
        assertThat(r.mode()).isEqualTo("generative");
    }

    /** The first option letter with no ASCII letter on either side. */
    private static int firstLetter(String s, int choices) {
        for (int j = 0; j < s.length(); j++) {
            char c = s.charAt(j);
            boolean alone = (j == 0 || !isAsciiLetter(s.charAt(j - 1))) && (j == s.length() - 1 || !isAsciiLetter(s.charAt(j + 1)));
            if (c >= 'A' && c < 'A' + choices && alone) return c - 'A';
        }
        return -1;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static String greedy(Transformer t, TinyModels.CharTokenizer tok, String prompt, int maxNew) {
        int[] p = tok.encode(prompt);
        int[] seq = new int[p.length + 1 + maxNew];
        seq[0] = tok.bos();
        System.arraycopy(p, 0, seq, 1, p.length);
        int len = p.length + 1;
        StringBuilder out = new StringBuilder();
        int vocab = t.config().vocabSize();
        for (int step = 0; step < maxNew; step++) {
            int[] cur = java.util.Arrays.copyOf(seq, len);
            float[] h = t.forward(cur, t.newCache(len), ForwardHooks.NONE);
            float[] logits = new float[vocab];
            t.logits(h, len - 1, 1, logits);
            int best = 0;
            for (int v = 1; v < vocab; v++) if (logits[v] > logits[best]) best = v;
            if (tok.isSpecial(best)) break;
            out.append(tok.piece(best));
            seq[len++] = best;
        }
        return out.toString();
    }
}
