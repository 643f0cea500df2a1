package dev.prune4j.prune.structure.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.prune.structure.StructureScores;
import dev.prune4j.prune.structure.StructuredPlan;
import dev.prune4j.prune.structure.ToyModels;
import dev.prune4j.prune.structure.score.ScoreSet;
import dev.prune4j.prune.structure.score.ScoreSource;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlapAllocationTest {
    /**
     * Hidden 4, two MHA heads of dim 2 and 8 FFN channels per layer: a head (a KV group) costs 4·2·4 = 32 counted
     * parameters, a channel 3·4 = 12, a layer 160, the model 320. A 25% cut removes 80.
     */
    static final ModelConfig TINY = ToyModels.config(2, 4, new int[] {2, 2}, new int[] {2, 2}, new int[] {8, 8}, 2);

    static final float[][] FFN = {{1, 2, 3, 4, 5, 6, 7, 8}, {0, 0, 0, 0, 0, 0, 0, 8}};

    static AllocationOptions options() {
        return AllocationOptions.of(0.25).withFfnMultiple(1);
    }

    /**
     * By hand. Layer 0's channels standardise to (x − 4.5)/√6 = −1.43, −1.02, −0.61, −0.20, ...; layer 1's to
     * (x − 1)/√8 = −0.35 (seven times), 2.47. Two heads standardise to ∓1/√2 = ∓0.71 in both layers (the tie goes to the lower layer).
     * Ascending, with costs:
     * L0 ch (12), L0 ch (12), L0 head (32), L1 head (32), L0 ch (12), L1 ch (12), ... Taking them in order: 12, 24,
     * 56; layer 1's head would make 88 > 80 and closes attention; then layer 0's third channel (68) and one of layer
     * 1's (80) reach the target exactly.
     */
    @Test
    void globalThresholdAcrossLayersAndKindsReproducesTheHandComputedCut() {
        StructureScores s = new StructureScores("hand", null, new float[][] {{1, 3}, {2, 4}}, FFN, null, null);
        AllocationResult r = new FlapAllocation().allocate(TINY, new ScoreSet(s, ScoreSource.of("hand", Map.of())), options());
        StructuredPlan p = r.plan();
        assertThat(p.keptKvHeads()).isDeepEqualTo(new int[][] {{1}, {0, 1}});
        assertThat(p.keptQueryHeads()).isDeepEqualTo(new int[][] {{1}, {0, 1}});
        assertThat(p.keptFfnChannels()[0]).containsExactly(3, 4, 5, 6, 7);
        assertThat(p.keptFfnChannels()[1]).as("ties: the higher index goes first").containsExactly(0, 1, 2, 3, 4, 5, 7);
        assertThat(r.removed()).isEqualTo(80);
        assertThat(r.achievedRatio()).isEqualTo(0.25);
    }

    /**
     * With per-column attention scores (as flap and wanda-sp keep), the columns are standardised, not the heads.
     * Layer 0's columns 1, 1, 1, 9 give z = −0.5, −0.5, −0.5, 1.5, heads −0.5 and 0.5; layer 1's 5, 5, 2, 2 give
     * ±√3/2, heads 0.87 and −0.87. Now layer 1's head (−0.87) comes before layer 0's third channel (−0.61) and layer
     * 0's head (−0.5) no longer fits: 12, 24, 56 (L1 head), 68 (L0 ch), then layer 0's head would make 100 and
     * closes attention, and one channel of layer 1 makes 80.
     */
    @Test
    void attentionIsStandardisedPerColumnWhenTheScoresCarryColumns() {
        StructureScores s = new StructureScores("hand", null, new float[][] {{2, 10}, {10, 4}}, FFN, null, null);
        float[][] columns = {{1, 1, 1, 9}, {5, 5, 2, 2}};
        ScoreSet set = new ScoreSet(s, ScoreSource.of("hand", Map.of()), Map.of(ScoreSet.ATTN_OUTPUT_COLUMNS, columns));
        StructuredPlan p = new FlapAllocation().allocate(TINY, set, options()).plan();
        assertThat(p.keptKvHeads()).isDeepEqualTo(new int[][] {{0, 1}, {0}});
        assertThat(p.keptFfnChannels()[0]).containsExactly(3, 4, 5, 6, 7);
        assertThat(p.keptFfnChannels()[1]).containsExactly(0, 1, 2, 3, 4, 5, 7);
    }

    @Test
    void standardisesWithTheUnbiasedStd() {
        double[] z = FlapAllocation.standardise(new float[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertThat(z[0]).isCloseTo(-3.5 / Math.sqrt(6), within(1e-12));
        assertThat(FlapAllocation.standardise(new float[] {2, 2, 2})).containsExactly(0, 0, 0);
    }

    /** On SmolLM2's shapes with random scores: exact within one rounding unit, widths multiples of 8, GQA valid. */
    @Test
    void meetsTheRatioWithinOneRoundingUnitOnSmolLm2Shapes() {
        ModelConfig smol = ToyModels.smolLm2Shapes();
        ScoreSet scores = RandomScores.of(smol, 5);
        for (AttentionUnit unit : new AttentionUnit[] {AttentionUnit.KV_GROUPS, AttentionUnit.QUERY_HEADS, AttentionUnit.NONE}) {
            for (double ratio : new double[] {0.1, 0.2, 0.3, 0.5}) {
                AllocationOptions o = AllocationOptions.of(ratio).withAttention(unit).withProtected(2, 1);
                AllocationResult r = new FlapAllocation().allocate(smol, scores, o);
                assertThat(r.roundingUnit()).isEqualTo(8 * 3 * 576);
                assertThat(r.missedBy()).as("%s %.1f: achieved %.5f", unit, ratio, r.achievedRatio()).isLessThanOrEqualTo(r.roundingUnit());
                for (int l = 0; l < 30; l++) {
                    int f = r.plan().keptFfnChannels()[l].length;
                    assertThat(f % 8).as("layer %d width %d", l, f).isZero();
                    if (o.isProtected(l, 30)) assertThat(f).isEqualTo(1536);
                }
            }
        }
        AllocationResult attentionOnly = new FlapAllocation().allocate(smol, scores, AllocationOptions.of(0.1).withFfn(false));
        assertThat(attentionOnly.missedBy()).isLessThanOrEqualTo(attentionOnly.roundingUnit() / 2.0);
        assertThat(attentionOnly.roundingUnit()).isEqualTo(ParameterCount.kvGroup(smol, 0));
    }

    @Test
    void refusesWhatCannotBeRemovedWithoutEmptyingALayer() {
        ModelConfig smol = ToyModels.smolLm2Shapes();
        assertThatThrownBy(() -> new FlapAllocation().allocate(smol, RandomScores.of(smol, 6), AllocationOptions.of(0.2).withFfn(false)))
                .hasMessageContaining("would empty a layer").hasMessageContaining("at most 16.7%");
    }

    @Test
    void roundsWidthsKeepingTheTotal() {
        ModelConfig c = ToyModels.config(3, 16, new int[] {4, 4, 4}, new int[] {2, 2, 2}, new int[] {48, 48, 48}, 4);
        int[] kept = FlapAllocation.roundWidths(c, new int[] {5, 13, 0}, 8);
        // raw kept widths 43 and 35 round down to 40 and 32 (excess 3 + 3 = 6 > 4), so the larger remainder (a tie:
        // the lower layer) rounds up
        assertThat(kept).containsExactly(48, 32, 48);
    }
}
