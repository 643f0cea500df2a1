package dev.prune4j.eval.zeroshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.prune4j.eval.Progress;
import dev.prune4j.model.Assets;
import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.forward.Transformer;
import dev.prune4j.model.weights.RandomWeights;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The harness on three hand-made tasks (test resources {@code zeroshot/tiny-*.jsonl}) run on stories260K: every
 * choice's log-likelihood, the chosen answers and both accuracies equal those of an independent computation that
 * scores each choice as its own full sequence without sharing the context's cache.
 */
class LoglikelihoodScorerTest {
    /**
     * Correct answers by acc and acc_norm, as {@link FullSequenceReference} computed them on stories260K (the test
     * recomputes them on every run; these literals also pin them down against a change of both sides at once).
     */
    private static final Map<String, int[]> EXPECTED = Map.of(
            "tiny-names", new int[] {3, 4},
            "tiny-endings", new int[] {2, 3},
            "tiny-styles", new int[] {3, 2});

    /** Best score minus the runner-up. */
    private static double margin(double[] ll, Example e, boolean perCharacter) {
        double[] s = new double[ll.length];
        for (int i = 0; i < s.length; i++) s[i] = FullSequenceReference.score(ll, e, i, perCharacter);
        java.util.Arrays.sort(s);
        return s[s.length - 1] - s[s.length - 2];
    }

    private static LanguageModel stories;

    @BeforeAll
    static void load() throws Exception {
        Path p = Assets.stories260K().orElse(null);
        stories = p == null ? null : LanguageModel.load(p);
    }

    static Path resource(String name) throws Exception {
        return Path.of(LoglikelihoodScorerTest.class.getResource("/zeroshot/" + name).toURI());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-names", "tiny-endings", "tiny-styles"})
    void handMadeTasksScoreAsTheFullSequenceReference(String name) throws Exception {
        assumeTrue(stories != null, "../shared/models/stories260K-f32.gguf is absent (not a developer or CI machine)");
        Task task = JsonlTasks.read(resource(name + ".jsonl"));
        Transformer t = stories.transformer();
        TaskResult r = new LoglikelihoodScorer(t, stories.tokenizer(), 512).evaluate(task, Progress.NONE);

        int refCorrect = 0, refCorrectNorm = 0;
        for (int i = 0; i < task.examples().size(); i++) {
            Example e = task.examples().get(i);
            double[] ref = FullSequenceReference.logLikelihoods(t, stories.tokenizer(), e);
            ExampleOutcome o = r.outcomes().get(i);
            assertThat(o.logLikelihoods()).as("%s example %d log-likelihoods", name, i).containsExactly(ref, within(1e-4));
            int pred = FullSequenceReference.argmax(ref, e, false), predNorm = FullSequenceReference.argmax(ref, e, true);
            // the fixtures keep every decision clear of float noise, so an exact match of choices is a fair demand
            assertThat(margin(ref, e, false)).as("%s example %d acc margin", name, i).isGreaterThan(1e-3);
            assertThat(margin(ref, e, true)).as("%s example %d acc_norm margin", name, i).isGreaterThan(1e-3);
            assertThat(o.prediction()).as("%s example %d acc choice", name, i).isEqualTo(pred);
            assertThat(o.predictionNorm()).as("%s example %d acc_norm choice", name, i).isEqualTo(predNorm);
            if (pred == e.gold()) refCorrect++;
            if (predNorm == e.gold()) refCorrectNorm++;
        }
        assertThat(r.acc()).isEqualTo(new Proportion(refCorrect, task.examples().size()));
        assertThat(r.accNorm()).isEqualTo(new Proportion(refCorrectNorm, task.examples().size()));
        assertThat(new int[] {r.acc().correct(), r.accNorm().correct()}).isEqualTo(EXPECTED.get(name));
    }

    /**
     * A random GQA model with a character tokenizer and no BOS: continuations longer than one logits chunk (64 rows),
     * an empty context (started from BOS as lm-eval's prefix token) and several examples through one shared cache.
     */
    @Test
    void randomModelWithoutBosMatchesTheReference() {
        var config = TinyModels.config();
        Transformer t = new Transformer(config, RandomWeights.create(config, 3));
        var tok = new TinyModels.CharTokenizer(false);
        String longChoice = "the quick brown fox jumps over the lazy dog while the cat watches it from the old garden wall";
        List<Example> examples = List.of(
                new Example("It was a dark and stormy night;", List.of("the end", longChoice, "x"), 1),
                new Example("", List.of("abc", "hello world"), 0),
                new Example("Numbers: 1 2 3 ", List.of("4 5 6", "7", longChoice + " " + longChoice), 2));
        Task task = new Task("random", "in-memory", "pick one", examples);
        TaskResult r = new LoglikelihoodScorer(t, tok, 256).evaluate(task, Progress.NONE);
        int correct = 0, correctNorm = 0;
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            double[] ref = FullSequenceReference.logLikelihoods(t, tok, e);
            assertThat(r.outcomes().get(i).logLikelihoods()).as("example %d", i).containsExactly(ref, within(1e-3));
            // one token per character of the delimiter, the choice and the context's trailing spaces
            int spaces = e.context().length() - e.context().stripTrailing().length();
            assertThat(r.outcomes().get(i).continuationTokens()[1]).isEqualTo(spaces + 1 + e.choices().get(1).length());
            if (FullSequenceReference.argmax(ref, e, false) == e.gold()) correct++;
            if (FullSequenceReference.argmax(ref, e, true) == e.gold()) correctNorm++;
        }
        assertThat(r.acc().correct()).isEqualTo(correct);
        assertThat(r.accNorm().correct()).isEqualTo(correctNorm);
        assertThat(r.truncated()).isZero();
    }
}
