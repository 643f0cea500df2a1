package dev.prune4j.eval.ppl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prune4j.eval.Progress;
import dev.prune4j.model.Assets;
import dev.prune4j.model.LanguageModel;
import dev.prune4j.model.export.GgufExporter;
import dev.prune4j.tensor.GgmlType;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our forward pass against llama.cpp: per-token log-probabilities and perplexity on the same GGUF file, tokens and
 * windows. The golden files come from {@code tools/reference/logprobs.mjs} (F32 KV cache, exact log-softmax). For
 * SmolLM2 and Gemma-3 the file llama.cpp scored is our own F32 conversion of the quantized original; the test
 * converts again and checks the sha256, so both sides saw the same bytes.
 */
class LlamaCppAgreementTest {
    /** Issue 2's bounds: per-token log-probabilities within 5e-3 (max abs), perplexity within 0.1%. */
    private static final double MAX_LOGPROB_DIFF = 5e-3;
    private static final double MAX_PPL_REL_DIFF = 1e-3;

    @TempDir Path dir;

    private static JsonNode fixture(String name) throws Exception {
        try (InputStream in = LlamaCppAgreementTest.class.getResourceAsStream("/reference/" + name)) {
            assertThat(in).as("fixture %s", name).isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Evaluates the fixture's tokens with its protocol and compares every log-probability and the perplexity. */
    private static void compare(Path model, JsonNode fx) throws Exception {
        compare(LanguageModel.load(model), fx, MAX_LOGPROB_DIFF, MAX_PPL_REL_DIFF);
    }

    private static void compare(LanguageModel m, JsonNode fx, double maxLogprobDiff, double maxPplRelDiff) throws Exception {
        int[] tokens = new ObjectMapper().treeToValue(fx.get("tokens"), int[].class);
        JsonNode s = fx.get("settings");
        int bos = s.get("bosPrepended").asBoolean() ? m.tokenizer().bos() : -1;
        assertThat(m.tokenizer().addBos()).as("BOS rule agrees with llama.cpp").isEqualTo(bos >= 0);
        PerplexityResult r = new PerplexityEvaluator(m.transformer())
                .evaluate(tokens, new PerplexityProtocol(s.get("window").asInt(), 0, bos), Progress.NONE);
        JsonNode ref = fx.get("logprobs");
        int k = 0;
        double maxDiff = 0, sumDiff = 0;
        for (int i = 0; i < ref.size(); i++) {
            if (ref.get(i).isNull()) continue; // the first token of a window without BOS is not scored
            double d = Math.abs(ref.get(i).asDouble() - r.logProbs()[k++]);
            maxDiff = Math.max(maxDiff, d);
            sumDiff += d;
        }
        double refPpl = fx.get("perplexity").asDouble();
        // recorded in docs/results.md
        System.out.printf("llama.cpp agreement %s: %d tokens, max |dlogp| %.2e, mean %.2e, ppl ours %.5f vs llama.cpp %.5f (%+.4f%%)%n",
                fx.at("/model/file").asText(), k, maxDiff, sumDiff / k, r.perplexity(), refPpl, 100 * (r.perplexity() / refPpl - 1));
        assertThat(k).as("scored tokens").isEqualTo(fx.get("scored").asInt()).isEqualTo((int) r.scoredTokens());
        assertThat(maxDiff).as("max |log p(ours) - log p(llama.cpp)| over %d tokens", k).isLessThan(maxLogprobDiff);
        assertThat(Math.abs(r.perplexity() / refPpl - 1)).as("relative perplexity difference (ours %.5f, llama.cpp %.5f)", r.perplexity(), refPpl)
                .isLessThan(maxPplRelDiff);
    }

    @Test
    void stories260K() throws Exception {
        Path model = Assets.stories260K().orElse(null);
        assumeTrue(model != null, "../shared/models/stories260K-f32.gguf is absent (not a developer or CI machine)");
        JsonNode fx = fixture("stories260K-logprobs.json");
        assertThat(sha256(model)).isEqualTo(fx.at("/model/sha256").asText());
        compare(model, fx);
    }

    private void convertedOriginal(String original, String fixtureName) throws Exception {
        Path src = Assets.model(original);
        assumeTrue(Files.exists(src), "run scripts/fetch-assets.sh first");
        JsonNode fx = fixture(fixtureName);
        Path f32 = dir.resolve("model-f32.gguf");
        LanguageModel m = LanguageModel.load(src);
        GgufExporter.write(f32, m.config(), m.weights(), m.metadata(), GgmlType.F32);
        assertThat(sha256(f32)).as("our F32 conversion is the file llama.cpp scored").isEqualTo(fx.at("/model/sha256").asText());
        compare(f32, fx);
    }

    /**
     * On the quantized originals llama.cpp also quantizes the activations to 8 bits inside each matrix product, so
     * our fp32 forward on the dequantized weights differs more; this records by how much (docs/results.md) and
     * bounds it loosely, so a real regression still shows.
     */
    private void quantizedOriginal(String original, String fixtureName) throws Exception {
        Path src = Assets.model(original);
        assumeTrue(Files.exists(src), "run scripts/fetch-assets.sh first");
        JsonNode fx = fixture(fixtureName);
        assertThat(sha256(src)).isEqualTo(fx.at("/model/sha256").asText());
        compare(LanguageModel.load(src), fx, 1.0, 0.02); // measured: max 0.44 / 0.76 nats, PPL -0.6% / see results.md
    }

    @Test
    @Tag("assets")
    void smolLm2Q4_1Original() throws Exception {
        quantizedOriginal(Assets.SMOLLM2_Q4_1, "smollm2-q4_1-logprobs.json");
    }

    @Test
    @Tag("assets")
    void gemma3Q4_K_MOriginal() throws Exception {
        quantizedOriginal(Assets.GEMMA3_Q4_K_M, "gemma3-q4_k_m-logprobs.json");
    }

    @Test
    @Tag("assets")
    void smolLm2ConvertedToF32() throws Exception {
        convertedOriginal(Assets.SMOLLM2_Q4_1, "smollm2-135m-f32-logprobs.json");
    }

    @Test
    @Tag("assets")
    void gemma3ConvertedToF32() throws Exception {
        convertedOriginal(Assets.GEMMA3_Q4_K_M, "gemma-3-270m-f32-logprobs.json");
    }

    /** Qwen2's graph (q/k/v biases, NeoX RoPE, untied output) on a tiny random model; see {@link TinyQwen2}. */
    @Test
    @Tag("assets")
    void tinyRandomQwen2() throws Exception {
        assumeTrue(Files.exists(Assets.model(Assets.SMOLLM2_Q4_1)), "run scripts/fetch-assets.sh first (vocabulary source)");
        Path f = dir.resolve("tiny-qwen2.gguf");
        TinyQwen2.write(f);
        JsonNode fx = fixture("tiny-qwen2-logprobs.json");
        assertThat(sha256(f)).as("the file llama.cpp scored").isEqualTo(fx.at("/model/sha256").asText());
        compare(f, fx);
    }
}
