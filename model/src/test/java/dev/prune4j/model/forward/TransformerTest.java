package dev.prune4j.model.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.weights.RandomWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class TransformerTest {
    static Stream<ModelConfig> configs() {
        return Stream.of(TinyConfigs.llama(), TinyConfigs.gemma(), TinyConfigs.ragged());
    }

    private static int[] tokens(int n, long seed) {
        Random r = new Random(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = r.nextInt(50);
        return t;
    }

    private static float[] allLogits(Transformer tr, float[] hidden, int rows) {
        float[] out = new float[rows * tr.config().vocabSize()];
        tr.logits(hidden, 0, rows, out);
        return out;
    }

    /** Decoding one token at a time over the KV cache must give the logits of one batched prefill. */
    @ParameterizedTest
    @MethodSource("configs")
    void decodeStepsMatchPrefill(ModelConfig config) {
        Transformer tr = new Transformer(config, RandomWeights.create(config, 7));
        int[] toks = tokens(12, 1); // longer than Gemma's sliding window of 5, so the window matters
        float[] batch = allLogits(tr, tr.forward(toks, tr.newCache(12), ForwardHooks.NONE), 12);
        KvCache cache = tr.newCache(12);
        int v = config.vocabSize();
        double maxDiff = 0;
        for (int i = 0; i < toks.length; i++) {
            float[] step = allLogits(tr, tr.forward(new int[] {toks[i]}, cache, ForwardHooks.NONE), 1);
            for (int j = 0; j < v; j++) maxDiff = Math.max(maxDiff, Math.abs(step[j] - batch[i * v + j]));
        }
        assertThat(maxDiff).as("max |decode - prefill| logit").isLessThan(2e-4);
    }

    /** A prefix split into two prefill chunks equals one prefill: positions and cache offsets line up. */
    @ParameterizedTest
    @MethodSource("configs")
    void chunkedPrefillMatchesOnePrefill(ModelConfig config) {
        Transformer tr = new Transformer(config, RandomWeights.create(config, 3));
        int[] toks = tokens(10, 2);
        float[] whole = allLogits(tr, tr.forward(toks, tr.newCache(10), ForwardHooks.NONE), 10);
        KvCache cache = tr.newCache(10);
        tr.forward(java.util.Arrays.copyOf(toks, 6), cache, ForwardHooks.NONE);
        float[] tail = allLogits(tr, tr.forward(java.util.Arrays.copyOfRange(toks, 6, 10), cache, ForwardHooks.NONE), 4);
        int v = config.vocabSize();
        for (int j = 0; j < 4 * v; j++) assertThat(tail[j]).isCloseTo(whole[6 * v + j], org.assertj.core.data.Offset.offset(2e-4f));
    }

    /**
     * With every layer sliding (window 3, 3 layers), position 7 can see back to position 1 at most
     * (3 layers x 2 steps), so changing token 0 must leave its logits exactly unchanged, while position 1's change.
     */
    @Test
    void slidingWindowHidesDistantTokens() {
        ModelConfig g = TinyConfigs.gemma();
        ModelConfig c = new ModelConfig(g.architecture(), 3, 32, 50, 64, new int[] {4, 4, 4}, new int[] {1, 1, 1},
                new int[] {40, 40, 40}, 16, 1e-6f, 1e6f, 1e4f, 1f, 16, g.ropeLayout(), 3, 0, g.activation(),
                g.embeddingScale(), true, true, true);
        Transformer tr = new Transformer(c, RandomWeights.create(c, 5));
        int[] a = tokens(8, 3), b = a.clone();
        b[0] = (a[0] + 1) % 50;
        float[] la = allLogits(tr, tr.forward(a, tr.newCache(8), ForwardHooks.NONE), 8);
        float[] lb = allLogits(tr, tr.forward(b, tr.newCache(8), ForwardHooks.NONE), 8);
        int v = c.vocabSize();
        double dLast = 0, dSecond = 0;
        for (int j = 0; j < v; j++) {
            dLast = Math.max(dLast, Math.abs(la[7 * v + j] - lb[7 * v + j]));
            dSecond = Math.max(dSecond, Math.abs(la[v + j] - lb[v + j]));
        }
        assertThat(dSecond).as("position 1 sees position 0").isGreaterThan(1e-3);
        assertThat(dLast).as("position 7 is out of reach of position 0").isZero();
    }

    @Test
    void hooksSeeEveryLinearInputWithItsShape() {
        ModelConfig c = TinyConfigs.ragged();
        Transformer tr = new Transformer(c, RandomWeights.create(c, 1));
        List<String> seen = new ArrayList<>();
        tr.forward(tokens(5, 4), tr.newCache(5), new ForwardHooks() {
            @Override
            public void linearInput(int layer, CapturePoint point, float[] x, int rows, int cols) {
                seen.add(layer + ":" + point + ":" + rows + "x" + cols);
            }
        });
        assertThat(seen).containsExactly(
                "0:ATTN_IN:5x32", "0:ATTN_OUTPUT_IN:5x32", "0:FFN_IN:5x32", "0:FFN_DOWN_IN:5x48",
                "1:ATTN_IN:5x32", "1:ATTN_OUTPUT_IN:5x16", "1:FFN_IN:5x32", "1:FFN_DOWN_IN:5x16",
                "2:ATTN_IN:5x32", "2:ATTN_OUTPUT_IN:5x48", "2:FFN_IN:5x32", "2:FFN_DOWN_IN:5x40");
    }

    @Test
    void refusesTokensOutsideTheVocabularyAndAFullCache() {
        ModelConfig c = TinyConfigs.llama();
        Transformer tr = new Transformer(c, RandomWeights.create(c, 1));
        assertThatThrownBy(() -> tr.forward(new int[] {50}, tr.newCache(4), ForwardHooks.NONE))
                .hasMessageContaining("token id 50 outside the vocabulary of 50");
        assertThatThrownBy(() -> tr.forward(new int[] {1, 2, 3}, tr.newCache(2), ForwardHooks.NONE))
                .hasMessageContaining("KV cache holds 2 positions");
    }
}
