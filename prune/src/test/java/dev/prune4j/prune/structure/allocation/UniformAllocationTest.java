package dev.prune4j.prune.structure.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.prune.structure.StructuredPlan;
import dev.prune4j.prune.structure.ToyModels;
import dev.prune4j.prune.structure.score.ScoreSet;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class UniformAllocationTest {
    static final ModelConfig SMOL = ToyModels.smolLm2Shapes();

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(0.1, AttentionUnit.KV_GROUPS, true, 0, 0),
                Arguments.of(0.2, AttentionUnit.KV_GROUPS, true, 0, 0),
                Arguments.of(0.3, AttentionUnit.KV_GROUPS, true, 4, 2),
                Arguments.of(0.5, AttentionUnit.KV_GROUPS, true, 0, 0),
                Arguments.of(0.2, AttentionUnit.QUERY_HEADS, true, 0, 0),
                Arguments.of(0.37, AttentionUnit.QUERY_HEADS, true, 1, 1),
                Arguments.of(0.2, AttentionUnit.NONE, true, 0, 0),
                Arguments.of(0.1, AttentionUnit.KV_GROUPS, false, 0, 0),
                Arguments.of(0.12, AttentionUnit.QUERY_HEADS, false, 2, 0));
    }

    /** Exact to half a rounding step, the same shape in every unprotected layer, the lowest scores removed. */
    @ParameterizedTest
    @MethodSource("cases")
    void hitsTheRatioWithEqualLayersAndRemovesTheLowestScores(double ratio, AttentionUnit unit, boolean ffn, int first, int last) {
        ScoreSet scores = RandomScores.of(SMOL, 1);
        AllocationOptions o = AllocationOptions.of(ratio).withAttention(unit).withFfn(ffn).withProtected(first, last);
        AllocationResult r = new UniformAllocation().allocate(SMOL, scores, o);
        StructuredPlan p = r.plan();
        p.validate(SMOL);
        assertThat(r.missedBy()).as("achieved %.5f for %.5f", r.achievedRatio(), ratio).isLessThanOrEqualTo(r.roundingUnit() / 2.0);
        assertThat(r.removed()).isEqualTo(Math.round(r.achievedRatio() * r.counted()));

        int cutQ = -1, cutKv = -1, cutF = -1;
        for (int l = 0; l < 30; l++) {
            int q = p.keptQueryHeads()[l].length, kv = p.keptKvHeads()[l].length, f = p.keptFfnChannels()[l].length;
            if (o.isProtected(l, 30)) {
                assertThat(new int[] {q, kv, f}).as("protected layer %d", l).containsExactly(9, 3, 1536);
                continue;
            }
            if (cutQ < 0) {
                cutQ = q;
                cutKv = kv;
                cutF = f;
            }
            assertThat(new int[] {q, kv, f}).as("layer %d", l).containsExactly(cutQ, cutKv, cutF);
            assertThat(f % 8).as("FFN width multiple of 8").isZero();
            if (!ffn) assertThat(f).isEqualTo(1536);
            if (unit == AttentionUnit.NONE) assertThat(q).isEqualTo(9);
            if (unit == AttentionUnit.QUERY_HEADS) assertThat(kv).isEqualTo(3);
            assertRemovedScoreLowest(scores.scores().ffnChannels()[l], p.keptFfnChannels()[l]);
            assertRemovedScoreLowest(scores.scores().kvHeads()[l], p.keptKvHeads()[l]);
        }
        assertThat(cutF < 1536 || cutQ < 9).as("something was cut").isTrue();
    }

    static void assertRemovedScoreLowest(float[] scores, int[] kept) {
        boolean[] k = new boolean[scores.length];
        for (int i : kept) k[i] = true;
        float maxRemoved = Float.NEGATIVE_INFINITY, minKept = Float.POSITIVE_INFINITY;
        for (int i = 0; i < scores.length; i++) {
            if (k[i]) minKept = Math.min(minKept, scores[i]);
            else maxRemoved = Math.max(maxRemoved, scores[i]);
        }
        assertThat(maxRemoved).isLessThanOrEqualTo(minKept);
    }

    @Test
    void queryHeadsGoEvenlyFromEveryKvGroupLowestFirst() {
        ScoreSet scores = RandomScores.of(SMOL, 2);
        AllocationResult r = new UniformAllocation().allocate(SMOL, scores, AllocationOptions.of(0.4).withAttention(AttentionUnit.QUERY_HEADS));
        for (int l = 0; l < 30; l++) {
            int[] kept = r.plan().keptQueryHeads()[l];
            assertThat(kept).as("layer %d: one query head of each group of 3 goes (floor(0.4·3) = 1)", l).hasSize(6);
            float[] s = scores.scores().queryHeads()[l];
            for (int g = 0; g < 3; g++) {
                int group = g;
                int[] inGroup = Arrays.stream(kept).filter(h -> h / 3 == group).toArray();
                assertThat(inGroup).hasSize(2);
                int removed = 3 * g + (3 - (inGroup[0] - 3 * g) - (inGroup[1] - 3 * g)); // offsets 0+1+2 = 3
                assertThat(s[removed]).isLessThanOrEqualTo(Math.min(s[inGroup[0]], s[inGroup[1]]));
            }
        }
    }

    @Test
    void attentionNeverLosesMoreThanItsShare() {
        ScoreSet scores = RandomScores.of(SMOL, 5);
        // 0.2 and 0.3 of 3 KV groups are 0.6 and 0.9 of a group: none goes, the FFN takes the whole share
        for (double ratio : new double[] {0.2, 0.3}) {
            StructuredPlan p = new UniformAllocation().allocate(SMOL, scores, AllocationOptions.of(ratio)).plan();
            assertThat(p.keptKvHeads()[0]).as("ratio %s", ratio).hasSize(3);
            assertThat(p.keptFfnChannels()[0].length).as("ratio %s", ratio).isLessThan(1536);
        }
        // 0.34 of 3 groups is 1.02: one group goes, and the FFN the rest of the layer's 34%
        StructuredPlan p = new UniformAllocation().allocate(SMOL, scores, AllocationOptions.of(0.34)).plan();
        assertThat(p.keptKvHeads()[0]).hasSize(2);
        assertThat(p.keptFfnChannels()[0].length).isLessThan(1536);
    }

    @Test
    void refusesTargetsThatWouldEmptyALayer() {
        ScoreSet scores = RandomScores.of(SMOL, 3);
        assertThatThrownBy(() -> new UniformAllocation().allocate(SMOL, scores, AllocationOptions.of(0.95)))
                .hasMessageContaining("layer 0").hasMessageContaining("would empty it").hasMessageContaining("at most");
        // attention alone is 25% of SmolLM2's block linears; two of three KV groups are at most 16.7% (0.2 rounds to
        // those two, within half a unit; 0.25 would need all three)
        assertThat(new UniformAllocation().allocate(SMOL, scores, AllocationOptions.of(0.2).withFfn(false)).achievedRatio())
                .isCloseTo(1 / 6.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThatThrownBy(() -> new UniformAllocation().allocate(SMOL, scores, AllocationOptions.of(0.25).withFfn(false)))
                .hasMessageContaining("at most 16.7%");
        assertThatThrownBy(() -> new UniformAllocation().allocate(SMOL, scores, AllocationOptions.of(0.2).withProtected(20, 10)))
                .hasMessageContaining("every one of the 30 layers is protected");
        assertThatThrownBy(() -> new UniformAllocation().allocate(SMOL, scores, AllocationOptions.of(0.6).withProtected(14, 14)))
                .hasMessageContaining("protect fewer layers");
    }

    @Test
    void ratioZeroKeepsEverything() {
        AllocationResult r = new UniformAllocation().allocate(SMOL, RandomScores.of(SMOL, 4), AllocationOptions.of(0));
        assertThat(r.removed()).isZero();
        assertThat(r.plan().keptFfnChannels()[7]).hasSize(1536);
    }
}
