package dev.prune4j.prune.structure.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.prune.structure.StructureScores;
import dev.prune4j.prune.structure.ToyModels;
import dev.prune4j.prune.structure.score.ScoreSet;
import dev.prune4j.prune.structure.score.ScoreSource;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PerLayerAndDepthAllocationTest {
    static final ModelConfig SMOL = ToyModels.smolLm2Shapes();

    @Test
    void perLayerListsCutEachLayerByItsOwnRatio() {
        double[] ratios = new double[30];
        for (int l = 0; l < 30; l++) ratios[l] = l < 3 ? 0 : 0.02 * (l % 20);
        AllocationResult r = new PerLayerAllocation(ratios).allocate(SMOL, RandomScores.of(SMOL, 7), AllocationOptions.of(0));
        long layer = ParameterCount.layer(SMOL, 0), half = 8 * 3 * 576 / 2;
        double mean = 0;
        for (int l = 0; l < 30; l++) {
            mean += ratios[l] / 30;
            var p = r.plan();
            long kept = 2L * p.keptQueryHeads()[l].length * 64 * 576 + 2L * p.keptKvHeads()[l].length * 64 * 576
                    + 3L * p.keptFfnChannels()[l].length * 576;
            assertThat((double) (layer - kept)).as("layer %d", l).isCloseTo(ratios[l] * layer, within((double) half));
        }
        assertThat(r.targetRatio()).isCloseTo(mean, within(1e-12));
        assertThat(r.missedBy()).isLessThanOrEqualTo(r.roundingUnit() / 2.0);
        assertThat(r.plan().keptFfnChannels()[0]).hasSize(1536);
    }

    @Test
    void perLayerListsMustFitTheModelAndItsProtection() {
        ScoreSet s = RandomScores.of(SMOL, 8);
        assertThatThrownBy(() -> new PerLayerAllocation(new double[] {0.1, 0.2}).allocate(SMOL, s, AllocationOptions.of(0)))
                .hasMessageContaining("2 ratios, the model has 30 layers");
        double[] ratios = new double[30];
        ratios[0] = 0.1;
        assertThatThrownBy(() -> new PerLayerAllocation(ratios).allocate(SMOL, s, AllocationOptions.of(0).withProtected(1, 0)))
                .hasMessageContaining("layer 0 is protected");
        assertThatThrownBy(() -> new PerLayerAllocation(new double[] {1.0})).hasMessageContaining("layer 0: ratio must be in [0, 1)");
    }

    static ScoreSet depthScores(float... influence) {
        return new ScoreSet(new StructureScores("depth", null, null, null, null, influence), ScoreSource.of("depth", Map.of()));
    }

    @Test
    void depthRemovesTheLayersOfLowestInfluence() {
        ModelConfig c = ToyModels.config(5, 16, new int[] {4, 4, 4, 4, 4}, new int[] {2, 2, 2, 2, 2}, new int[] {24, 24, 24, 24, 24}, 4);
        ScoreSet s = depthScores(0.5f, 0.1f, 0.3f, 0.05f, 0.9f);
        AllocationResult byRatio = new DepthAllocation(null).allocate(c, s, AllocationOptions.of(0.45));
        assertThat(byRatio.plan().removedLayers()).containsExactly(false, true, false, true, false);
        assertThat(byRatio.achievedRatio()).isCloseTo(0.4, within(1e-12));
        assertThat(byRatio.plan().keptLayerCount()).isEqualTo(3);

        AllocationResult protectedLast = new DepthAllocation(null).allocate(c, s, AllocationOptions.of(0.45).withProtected(0, 2));
        assertThat(protectedLast.plan().removedLayers()).containsExactly(false, true, true, false, false);

        AllocationResult four = new DepthAllocation(4).allocate(c, s, AllocationOptions.of(0));
        assertThat(four.plan().removedLayers()).containsExactly(true, true, true, true, false);
        assertThat(four.targetRatio()).isEqualTo(0.8);

        assertThatThrownBy(() -> new DepthAllocation(5).allocate(c, s, AllocationOptions.of(0))).hasMessageContaining("4 of the 5 layers can go");
        assertThatThrownBy(() -> new DepthAllocation(3).allocate(c, s, AllocationOptions.of(0).withProtected(2, 1)))
                .hasMessageContaining("2 of the 5 layers can go (3 are protected)");
        assertThatThrownBy(() -> new DepthAllocation(null).allocate(c, RandomScoresWithoutLayers.of(c), AllocationOptions.of(0.2)))
                .hasMessageContaining("needs layer scores");
    }

    /** Scores of groups only. */
    static final class RandomScoresWithoutLayers {
        static ScoreSet of(ModelConfig c) {
            ScoreSet r = RandomScores.of(c, 9);
            StructureScores s = r.scores();
            return new ScoreSet(new StructureScores("l2", s.queryHeads(), s.kvHeads(), s.ffnChannels(), null, null), r.source());
        }
    }

    @Test
    void registryBuildsEveryStrategy() {
        assertThat(Allocations.NAMES).containsExactly("uniform", "layers", "flap", "depth");
        assertThat(Allocations.byName("flap", null, null).name()).isEqualTo("flap");
        assertThat(Allocations.byName("layers", new double[30], null).name()).isEqualTo("layers");
        assertThatThrownBy(() -> Allocations.byName("layers", null, null)).hasMessageContaining("one ratio per layer");
        assertThatThrownBy(() -> Allocations.byName("owl", null, null)).hasMessageContaining("uniform");
        assertThatThrownBy(() -> Allocations.byName("uniform", new double[30], null)).hasMessageContaining("per-layer ratio list");
    }
}
