package dev.prune4j.prune.structure.llamacpp;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.prune4j.model.Assets;
import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.prune.structure.PlanBuilder;
import dev.prune4j.prune.structure.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * llama.cpp reads o_proj and down_proj biases ({@code blk.N.attn_output.bias}, {@code blk.N.ffn_down.bias}, what
 * FLAP's bias compensation adds) in both a "llama" and a "deci" GGUF file, and its perplexity equals ours within
 * 0.5%. The biases here are random and large (RMS 0.1 against a residual stream of RMS about 1: the perplexity goes
 * from tens to 10⁴–10⁶), so a runtime that ignored them would be far off; llama.cpp refuses a file with tensors it
 * does not read, so loading at all means it read them. Measured: ratios 1.000005 ("llama") and 1.000000 ("deci").
 */
@Tag("assets")
class OutputBiasLlamaCppTest {
    @Test
    void llamaAndDeciFilesWithOutputBiasesAgreeWithLlamaCpp() throws Exception {
        Path m = Assets.model(Assets.SMOLLM2_Q4_1);
        Path text = Assets.data("sotu/test.txt");
        assumeTrue(Files.exists(m) && Files.exists(text), "run scripts/fetch-assets.sh first");
        LanguageModel dense = LanguageModel.load(m);
        ModelConfig c = dense.config();
        LanguageModel biased = new LanguageModel(dense.source(), dense.architecture(), c, TinyModels.withOutputBiases(dense.weights(), 0.1, 7),
                dense.tokenizer(), dense.metadata(), dense.storedTypes(), dense.sourceBytes());
        int[] tokens = biased.tokenizer().encode(Files.readString(text));
        Path out = Assets.projectRoot().resolve("prune/target/structured-llamacpp");
        Files.createDirectories(out);

        PlanBuilder uniform = new PlanBuilder(c, LlamaCppComparison.magnitudes(c, dense.weights()));
        for (int l = 0; l < c.blockCount(); l++) uniform.keepFfnChannels(l, 1232).keepKvHeads(l, 2);
        LlamaCppComparison.compare(biased, tokens, out, "smollm2-uniform-biases", uniform.build(), 512, "llama");

        PlanBuilder perLayer = new PlanBuilder(c, LlamaCppComparison.magnitudes(c, dense.weights()));
        for (int l = 0; l < c.blockCount(); l++) perLayer.keepFfnChannels(l, l % 2 == 0 ? 1536 : 1024);
        LlamaCppComparison.compare(biased, tokens, out, "smollm2-per-layer-biases", perLayer.build(), 512, "deci");
    }
}
