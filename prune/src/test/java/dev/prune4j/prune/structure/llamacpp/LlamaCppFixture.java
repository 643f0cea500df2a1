package dev.prune4j.prune.structure.llamacpp;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.prune4j.model.Assets;
import dev.prune4j.model.LanguageModel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What every llama.cpp check starts from: a fetched model, the SOTU test split tokenized by it, and the folder where
 * the exported files and llama.cpp's reports stay ({@code prune/target/structured-llamacpp/}). Skips when the assets
 * are not fetched.
 *
 * @param tokens the whole test split's tokens
 */
record LlamaCppFixture(LanguageModel model, int[] tokens, Path out) {
    static LlamaCppFixture load(String modelFile) throws Exception {
        Path m = Assets.model(modelFile);
        Path text = Assets.data("sotu/test.txt");
        assumeTrue(Files.exists(m) && Files.exists(text), "run scripts/fetch-assets.sh first");
        LanguageModel model = LanguageModel.load(m);
        Path out = Assets.projectRoot().resolve("prune/target/structured-llamacpp");
        Files.createDirectories(out);
        return new LlamaCppFixture(model, model.tokenizer().encode(Files.readString(text)), out);
    }
}
