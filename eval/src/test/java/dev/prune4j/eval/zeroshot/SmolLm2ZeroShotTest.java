package dev.prune4j.eval.zeroshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.prune4j.eval.Progress;
import dev.prune4j.eval.tools.MagnitudeVariants;
import dev.prune4j.eval.zeroshot.builtin.BuiltinTasks;
import dev.prune4j.model.Assets;
import dev.prune4j.model.LanguageModel;
import java.nio.file.Files;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The built-in cloze task tells a working model from a broken one: SmolLM2-135M dense far above chance, the same
 * model with 70% of every block linear zeroed by magnitude near chance (measured on 300 and 500 examples in
 * {@code docs/results.md}; 60 here to stay near a minute).
 */
@Tag("assets")
class SmolLm2ZeroShotTest {
    @Test
    void denseAboveChanceMagnitude70NearChance() throws Exception {
        assumeTrue(Files.exists(Assets.model(Assets.SMOLLM2_Q4_1)), "run scripts/fetch-assets.sh first");
        assumeTrue(Files.exists(Assets.resolveText("sotu:test")), "run scripts/fetch-assets.sh --data first");
        Task cloze = BuiltinTasks.SOTU_CLOZE.load(60, 0);
        LanguageModel m = LanguageModel.load(Assets.model(Assets.SMOLLM2_Q4_1));
        TaskResult dense = new LoglikelihoodScorer(m.transformer(), m.tokenizer(), 2048).evaluate(cloze, Progress.NONE);
        MagnitudeVariants.prune(m.weights(), 0.7);
        TaskResult pruned = new LoglikelihoodScorer(m.transformer(), m.tokenizer(), 2048).evaluate(cloze, Progress.NONE);
        System.out.printf("SmolLM2 sotu-cloze n=60: dense acc_norm %s; 70%% magnitude %s%n",
                dense.accNorm().describe(), pruned.accNorm().describe());
        assertThat(dense.accNorm().wilson95()[0]).as("dense lower bound").isGreaterThan(0.6);
        assertThat(pruned.accNorm().value()).as("70%% pruned").isLessThan(0.4);
        assertThat(pruned.accNorm().wilson95()[1]).as("70%% pruned upper bound below dense lower bound")
                .isLessThan(dense.accNorm().wilson95()[0]);
    }
}
