package dev.prune4j.eval.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.prune4j.eval.Progress;
import dev.prune4j.eval.zeroshot.TinyModels;
import dev.prune4j.model.forward.Transformer;
import dev.prune4j.model.weights.RandomWeights;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The speed benchmark's bookkeeping on a tiny random model (speeds themselves are not asserted). */
class SpeedBenchmarkTest {
    private final Transformer t = new Transformer(TinyModels.config(), RandomWeights.create(TinyModels.config(), 1));

    @Test
    void oneRowPerPromptLengthWithConsistentTimings() {
        int[] text = new int[64];
        for (int i = 0; i < text.length; i++) text[i] = 5 + i % 90;
        List<long[]> progress = new ArrayList<>();
        List<SpeedRow> rows = new SpeedBenchmark(t).run(text, new SpeedSettings(new int[] {8, 32}, 4, 1, 3),
                (done, total) -> progress.add(new long[] {done, total}));
        assertThat(rows).extracting(SpeedRow::promptTokens).containsExactly(8, 32);
        for (SpeedRow r : rows) {
            assertThat(r.timeToFirstTokenMs()).isPositive();
            assertThat(r.prefillTokensPerSecond()).isCloseTo(r.promptTokens() / (r.timeToFirstTokenMs() / 1e3), within(1e-6 * r.prefillTokensPerSecond()));
            assertThat(r.decodeTokens()).isEqualTo(4);
            assertThat(r.decodeTokensPerSecond()).isPositive().isFinite();
        }
        // 2 lengths x (1 warm-up + 3 timed)
        assertThat(progress).hasSize(8);
        assertThat(progress.getLast()).containsExactly(8, 8);
    }

    @Test
    void refusesPromptsLongerThanTheTextOrTheContext() {
        int[] text = new int[16];
        assertThatThrownBy(() -> new SpeedBenchmark(t).run(text, new SpeedSettings(new int[] {32}, 4, 0, 1), Progress.NONE))
                .hasMessageContaining("has 16 tokens; the longest prompt needs 32");
        int[] longText = new int[300];
        assertThatThrownBy(() -> new SpeedBenchmark(t).run(longText, new SpeedSettings(new int[] {250}, 10, 0, 1), Progress.NONE))
                .hasMessageContaining("exceeds the model's context of 256");
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(SpeedBenchmark.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(SpeedBenchmark.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    }

    @Test
    void peakMemorySeesAnAllocation() {
        PeakMemory m = new PeakMemory();
        m.reset();
        long before = m.read().heapBytes();
        byte[] big = new byte[64 << 20];
        big[big.length - 1] = 1;
        PeakMemory.Reading r = m.read();
        assertThat(r.heapBytes()).isGreaterThanOrEqualTo(before + big.length - (1 << 20));
        // still referenced below, so the collection in read() keeps it
        assertThat(r.liveHeapBytes()).isGreaterThanOrEqualTo(big.length);
        assertThat(big[big.length - 1]).isEqualTo((byte) 1);
        if (System.getProperty("os.name").startsWith("Linux")) assertThat(r.rssBytes()).isGreaterThan(big.length);
    }
}
