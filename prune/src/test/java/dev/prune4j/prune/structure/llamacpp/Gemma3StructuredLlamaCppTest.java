package dev.prune4j.prune.structure.llamacpp;


import dev.prune4j.model.Assets;
import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.prune.structure.PlanBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Gemma-3-270M with fewer hidden and FFN channels, exported to GGUF F32, gives llama.cpp's perplexity within 0.5%:
 * llama.cpp recomputes the embedding scale √d' from the width and shares one eps between the residual norms and the
 * QK norms, so this checks the surgery's embedding fold, (1 + w) gain rescaling and eps rescaling against it.
 * 256 tokens only: llama.cpp's exact scoring of a 262,144-token vocabulary takes about a minute for them here.
 */
@Tag("assets")
class Gemma3StructuredLlamaCppTest {
    @Test
    void hiddenAndFfnCutAgreesWithLlamaCpp() throws Exception {
        LlamaCppFixture f = LlamaCppFixture.load(Assets.GEMMA3_Q4_K_M);
        LanguageModel model = f.model();
        ModelConfig c = model.config(); // 18 layers, 4 query / 1 KV heads of 256, FFN 2048, d 640
        PlanBuilder b = new PlanBuilder(c, LlamaCppComparison.magnitudes(c, model.weights()))
                .keepHiddenChannels(576);
        for (int l = 0; l < c.blockCount(); l++) b.keepFfnChannels(l, 1848);
        LlamaCppComparison.compare(model, f.tokens(), f.out(),
                "gemma3-hidden-ffn", b.build(), 256, "gemma3");
    }
}
