package dev.prune4j.prune.structure.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prune4j.model.Assets;
import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.prune.pipeline.StructuredPruning;
import dev.prune4j.prune.recipe.PruneRecipe;
import dev.prune4j.prune.recipe.StructuredRecipe;
import dev.prune4j.prune.structure.PlanBuilder;
import dev.prune4j.prune.structure.TinyModels;
import dev.prune4j.prune.structure.score.ScoreProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * llama.cpp reads o_proj and down_proj biases ({@code blk.N.attn_output.bias}, {@code blk.N.ffn_down.bias}, what
 * FLAP's bias compensation adds) in "llama" and "deci" GGUF files, and its perplexity equals ours within 0.5%.
 * llama.cpp refuses a file with tensors it does not read, so loading at all means it took them. Measured ratios
 * (prune4j / llama.cpp, 512 SOTU test tokens): 1.000005 for the random biases (PPL 681,448), 1.000001 for FLAP at 20%
 * with bias compensation (PPL 57.74).
 */
@Tag("assets")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutputBiasLlamaCppTest {
    private LanguageModel model;
    private int[] tokens;
    private Path out;

    @BeforeAll
    void load() throws Exception {
        LlamaCppFixture f = LlamaCppFixture.load(Assets.SMOLLM2_Q4_1);
        model = f.model();
        tokens = f.tokens();
        out = f.out();
    }

    /**
     * Random biases of RMS 0.1 on every o_proj and down_proj, against a residual stream of RMS about 1: the
     * perplexity goes from tens to about 7·10⁵, so a runtime that ignored them would be far off. Uniform cut: "llama".
     */
    @Test
    void randomOutputBiasesInALlamaFile() throws Exception {
        ModelConfig c = model.config();
        LanguageModel biased = new LanguageModel(model.source(), model.architecture(), c,
                TinyModels.withOutputBiases(model.weights(), 0.1, 7), model.tokenizer(), model.metadata(), model.storedTypes(),
                model.sourceBytes());
        PlanBuilder uniform = new PlanBuilder(c, LlamaCppComparison.magnitudes(c, model.weights()));
        for (int l = 0; l < c.blockCount(); l++) uniform.keepFfnChannels(l, 1232).keepKvHeads(l, 2);
        LlamaCppComparison.compare(biased, tokens, out, "smollm2-uniform-random-biases", uniform.build(), 512, "llama");
    }

    /** FLAP at 20% with its global threshold (per-layer widths: "deci") and bias compensation, as the CLI runs it. */
    @Test
    void flapBiasCompensationInADeciFile() throws Exception {
        StructuredRecipe recipe = new StructuredRecipe("flap", 0.2, null, null, null, null, null, null, null, null, null, true,
                new PruneRecipe.Calibration("sotu:calibration", 16, 256, 0L), null).withDefaults();
        int[] calibration = model.tokenizer().encode(Files.readString(Assets.resolveText("sotu:calibration")));
        StructuredPruning.Outcome o = new StructuredPruning(model, null, recipe).run(calibration, null, ScoreProgress.NONE);
        assertThat(o.pruned().config().isUniform()).isFalse();
        assertThat(o.pruned().weights().blocks()[0].ffnDown().bias()).isNotNull();
        LlamaCppComparison.compare(model, o.pruned(), tokens, out, "smollm2-flap20-bias-compensation", 512, "deci");
    }
}
