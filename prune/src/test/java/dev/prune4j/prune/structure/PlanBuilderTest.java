package dev.prune4j.prune.structure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prune4j.model.config.ModelConfig;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The builder keeps the best-scoring groups, rounds widths, and keeps GQA valid. */
class PlanBuilderTest {
    private static final ModelConfig LLAMA = TinyModels.llama(1e-5f); // 4 query heads / 2 KV heads, FFN 48, d 32

    private static StructureScores scores(float[] query, float[] kv, float[] ffn, float[] hidden) {
        int layers = LLAMA.blockCount();
        float[][] q = new float[layers][], k = new float[layers][], f = new float[layers][];
        for (int l = 0; l < layers; l++) {
            q[l] = query;
            k[l] = kv;
            f[l] = ffn;
        }
        return new StructureScores("test", query == null ? null : q, kv == null ? null : k, ffn == null ? null : f,
                hidden, null);
    }

    private static float[] ramp(int n, int peak) {
        float[] s = new float[n];
        for (int i = 0; i < n; i++) s[i] = -Math.abs(i - peak); // best at peak, falling away on both sides
        return s;
    }

    @Test
    void keepsTheHighestScoringFfnChannelsRoundedToEight() {
        StructuredPlan p = new PlanBuilder(LLAMA, scores(null, null, ramp(48, 30), null)).keepFfnChannels(0, 13).build();
        // 13 → 16 channels: 30 ± 7 are 15, and of the tied 22 and 38 the lower index wins
        assertThat(p.keptFfnChannels()[0]).containsExactly(IntStream.rangeClosed(22, 37).toArray());
        assertThat(p.keptFfnChannels()[1]).hasSize(48);
    }

    @Test
    void roundOneKeepsExactCounts() {
        StructuredPlan p = new PlanBuilder(LLAMA, scores(null, null, ramp(48, 0), ramp(32, 31))).round(1)
                .keepFfnChannels(2, 3).keepHiddenChannels(2).build();
        assertThat(p.keptFfnChannels()[2]).containsExactly(0, 1, 2);
        assertThat(p.keptHiddenChannels()).containsExactly(30, 31);
    }

    @Test
    void roundsWidthsToTheNearestMultiple() {
        assertThat(PlanBuilder.roundWidth(1229, 1536, 8)).isEqualTo(1232);
        assertThat(PlanBuilder.roundWidth(1227, 1536, 8)).isEqualTo(1224);
        assertThat(PlanBuilder.roundWidth(3, 1536, 8)).as("at least one multiple").isEqualTo(8);
        assertThat(PlanBuilder.roundWidth(46, 48, 8)).isEqualTo(48);
        assertThat(PlanBuilder.roundWidth(45, 47, 8)).as("never above the full width").isEqualTo(47);
        assertThat(PlanBuilder.roundWidth(0, 48, 8)).isZero();
        assertThat(PlanBuilder.roundWidth(13, 48, 1)).isEqualTo(13);
    }

    @Test
    void wholeKvGroupsByTheirScore() {
        StructuredPlan p = new PlanBuilder(LLAMA, scores(null, new float[] {0.1f, 0.9f}, null, null))
                .keepKvHeads(1, 1).build();
        assertThat(p.keptKvHeads()[1]).containsExactly(1);
        assertThat(p.keptQueryHeads()[1]).containsExactly(2, 3);
    }

    @Test
    void kvGroupScoreDefaultsToTheSumOfItsQueryHeads() {
        // group 0 = heads 0,1 (0.9 + 0.0), group 1 = heads 2,3 (0.5 + 0.5)
        StructuredPlan p = new PlanBuilder(LLAMA, scores(new float[] {0.9f, 0f, 0.5f, 0.5f}, null, null, null))
                .keepKvHeads(0, 1).build();
        assertThat(p.keptKvHeads()[0]).containsExactly(1);
    }

    @Test
    void queryHeadsEvenlyInEveryKvGroup() {
        StructuredPlan p = new PlanBuilder(LLAMA, scores(new float[] {0.1f, 0.2f, 0.4f, 0.3f}, null, null, null))
                .keepQueryHeadsPerKvHead(0, 1).build();
        assertThat(p.keptKvHeads()[0]).containsExactly(0, 1);
        assertThat(p.keptQueryHeads()[0]).containsExactly(1, 2);
        p.validate(LLAMA);
    }

    @Test
    void missingScoresAreNamed() {
        assertThatThrownBy(() -> new PlanBuilder(LLAMA, scores(null, null, ramp(48, 0), null)).keepKvHeads(0, 1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cutting kvHeads (or queryHeads) of layer 0 needs").hasMessageContaining("test");
        assertThatThrownBy(() -> new PlanBuilder(LLAMA, null).keepHiddenChannels(16).build())
                .hasMessageContaining("hiddenChannels scores, which were not given");
        assertThat(new PlanBuilder(LLAMA, null).removeLayer(1).build().keptLayerCount()).as("nothing to rank").isEqualTo(2);
    }

    @Test
    void countsOutsideTheModelAreRefused() {
        assertThatThrownBy(() -> new PlanBuilder(LLAMA, null).keepFfnChannels(0, 49))
                .hasMessageContaining("FFN channels of layer 0: cannot keep 49 of 48");
    }
}
