package dev.prune4j.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.prune4j.model.Assets;
import dev.prune4j.model.ModelFormatException;
import dev.prune4j.model.gguf.GgufFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;

import java.util.ArrayList;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Our tokenizers against token ids that llama.cpp computed for the same model files. */
class LlamaCppGoldenTest {
    static Tokenizer load(Path model) throws IOException {
        try (GgufFile gguf = GgufFile.open(model)) {
            return Tokenizers.fromGguf(gguf);
        }
    }

    static Path stories260K() {
        return Assets.stories260K().orElseGet(() -> {
            assumeTrue(false, "../shared/models/stories260K-f32.gguf is absent; the tokenizer golden test needs it");
            return null;
        });
    }

    static Path fetched(String fileName) {
        Path p = Assets.model(fileName);
        assumeTrue(Files.isRegularFile(p), p + " is absent; run scripts/fetch-assets.sh");
        return p;
    }

    @TestFactory
    List<DynamicTest> stories260KMatchesLlamaCpp() throws IOException {
        return GoldenFixture.load("stories260K.json").tests(load(stories260K()));
    }

    @Test
    void stories260KSettingsFollowLlamaCppDefaults() throws IOException {
        Tokenizer t = load(stories260K());
        assertThat(t).isInstanceOf(SentencePieceBpe.class);
        assertThat(t.vocabSize()).isEqualTo(512);
        assertThat(t.bos()).isEqualTo(1);
        assertThat(t.eos()).isEqualTo(2);
        assertThat(t.addBos()).as("SPM vocabularies add BOS unless the file says otherwise").isTrue();
        assertThat(t.isSpecial(1)).isTrue();
        assertThat(t.isSpecial(100)).isFalse();
        assertThat(t.piece(3)).isEqualTo("<0x00>");
    }

    @Test
    void decodeDropsOnlyTheFirstTokensSpaceAndRendersControlTokensAsNothing() throws IOException {
        Tokenizer t = load(stories260K());
        int[] hello = t.encode("Hello");
        assertThat(hello).containsExactly(346, 306, 414); // llama.cpp's ids
        assertThat(t.decode(hello)).isEqualTo("Hello");
        int[] withBos = new int[] {t.bos(), 346, 306, 414};
        // llama.cpp spends the space removal on the first token even when that token is BOS and prints nothing
        assertThat(t.decode(withBos)).isEqualTo(" Hello");
    }

    @Tag("assets")
    @Test
    void refusesAPreTokenizerItDoesNotKnow() throws IOException {
        try (GgufFile gguf = GgufFile.open(fetched(Assets.SMOLLM2_Q4_1))) {
            assertThatThrownBy(() -> Tokenizers.fromGguf(gguf, "klingon"))
                    .isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining(gguf.path().toString())
                    .hasMessageContaining("tokenizer.ggml.pre 'klingon'")
                    .hasMessageContaining("smollm");
        }
    }

    @Tag("assets")
    @TestFactory
    List<DynamicTest> smolLm2MatchesLlamaCpp() throws IOException {
        return GoldenFixture.load("smollm2.json").tests(load(fetched(Assets.SMOLLM2_Q4_1)));
    }

    @Tag("assets")
    @TestFactory
    List<DynamicTest> gemma3MatchesLlamaCpp() throws IOException {
        return GoldenFixture.load("gemma3.json").tests(load(fetched(Assets.GEMMA3_Q4_K_M)));
    }

    /**
     * SmolLM2's vocabulary under other pre-tokenizers: llama.cpp's ids come from copies of the file with only
     * {@code tokenizer.ggml.pre} changed ({@code tools/reference/retag_pretokenizer.py}).
     */
    @Tag("assets")
    @TestFactory
    Stream<DynamicContainer> otherPreTokenizersMatchLlamaCpp() throws IOException {
        Path model = fetched(Assets.SMOLLM2_Q4_1);
        List<DynamicContainer> all = new ArrayList<>();
        for (String pre : List.of("llama-bpe", "qwen2", "gpt-2", "default")) {
            try (GgufFile gguf = GgufFile.open(model)) {
                Tokenizer t = Tokenizers.fromGguf(gguf, pre);
                all.add(dynamicContainer(pre, GoldenFixture.load("smollm2-pre-" + pre + ".json").tests(t)));
            }
        }
        return all.stream();
    }

    /** The same vocabulary written as a Hugging Face tokenizer.json in SmolLM2's own layout gives the same ids. */
    @Tag("assets")
    @TestFactory
    List<DynamicTest> smolLm2AsTokenizerJsonMatchesLlamaCpp(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("tokenizer.json");
        try (GgufFile gguf = GgufFile.open(fetched(Assets.SMOLLM2_Q4_1))) {
            SmolLm2TokenizerJson.write(gguf, json);
        }
        return GoldenFixture.load("smollm2.json").tests(Tokenizers.fromTokenizerJson(json));
    }

    @Tag("assets")
    @Test
    void smolLm2AndGemma3Settings() throws IOException {
        Tokenizer smol = load(fetched(Assets.SMOLLM2_Q4_1));
        assertThat(smol).isInstanceOf(BpeTokenizer.class);
        assertThat(Stream.of(smol.vocabSize(), smol.bos(), smol.eos())).containsExactly(49152, 1, 2);
        assertThat(smol.addBos()).as("add_bos_token = false in the file").isFalse();
        Tokenizer gemma = load(fetched(Assets.GEMMA3_Q4_K_M));
        assertThat(gemma).isInstanceOf(SentencePieceBpe.class);
        assertThat(Stream.of(gemma.vocabSize(), gemma.bos(), gemma.eos())).containsExactly(262144, 2, 1);
        assertThat(gemma.addBos()).isTrue();
        assertThat(gemma.isSpecial(212)).as("</s> is user-defined in the file but llama.cpp makes it control").isTrue();
    }
}
