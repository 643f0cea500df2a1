package dev.prune4j.prune.structure.llamacpp;


import dev.prune4j.model.Assets;
import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.prune.structure.PlanBuilder;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * SmolLM2-135M cut by surgery and exported to GGUF F32 loads in llama.cpp, whose perplexity equals ours within
 * 0.5%: a uniform cut (a "llama" file) and a per-layer one with fewer hidden channels (a "deci" file). Scores here
 * are simple magnitudes made in the test (L2 of down_proj columns, of o_proj columns per KV group, of embedding
 * columns), independent of the scoring package. The files and llama.cpp's reports stay in
 * {@code prune/target/structured-llamacpp/}.
 */
@Tag("assets")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmolLm2StructuredLlamaCppTest {
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

    @Test
    void uniformCutAgreesWithLlamaCpp() throws Exception {
        ModelConfig c = model.config();
        PlanBuilder b = new PlanBuilder(c, LlamaCppComparison.magnitudes(c, model.weights()));
        for (int l = 0; l < c.blockCount(); l++) {
            b.keepFfnChannels(l, (int) Math.round(0.8 * c.feedForwardLength(l))).keepKvHeads(l, c.headCountKv(l) - 1);
        }
        LlamaCppComparison.compare(model, tokens, out, "smollm2-uniform", b.build(), 1024, "llama");
    }

    @Test
    void perLayerCutLoadsAndAgreesInLlamaCpp() throws Exception {
        ModelConfig c = model.config(); // 30 layers, 9 query / 3 KV heads, FFN 1536
        PlanBuilder b = new PlanBuilder(c, LlamaCppComparison.magnitudes(c, model.weights()));
        for (int l = 0; l < c.blockCount(); l++) {
            b.keepFfnChannels(l, new int[] {1536, 1024, 1280, 768}[l % 4]);
            switch (l % 3) {
                case 1 -> b.keepKvHeads(l, 2);
                case 2 -> b.keepKvHeads(l, 1).keepQueryHeadsPerKvHead(l, 2);
                default -> { }
            }
        }
        b.keepHiddenChannels(512); // of 576: exercises the gain and eps rescaling in llama.cpp's Llama block
        LlamaCppComparison.compare(model, tokens, out, "smollm2-per-layer", b.build(), 512, "deci");
    }
}
