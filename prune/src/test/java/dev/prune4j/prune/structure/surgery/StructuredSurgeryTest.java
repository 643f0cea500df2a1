package dev.prune4j.prune.structure.surgery;

import static dev.prune4j.prune.structure.TinyModels.TOKENS;
import static dev.prune4j.prune.structure.TinyModels.logits;
import static dev.prune4j.prune.structure.TinyModels.relativeDifference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prune4j.model.arch.TensorRole;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.prune.structure.CoupledGroups;
import dev.prune4j.prune.structure.PlanBuilder;
import dev.prune4j.prune.structure.PrunedConfig;
import dev.prune4j.prune.structure.StructureGroup.HiddenChannel;
import dev.prune4j.prune.structure.StructuredPlan;
import dev.prune4j.prune.structure.TensorSlice;
import dev.prune4j.prune.structure.TinyModels;
import dev.prune4j.prune.structure.WeightTensors;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Removing groups gives the same logits as zeroing them in the original model, for every group kind and on Llama-,
 * Gemma- (QK-norm, sandwich norms, tied √d-scaled embeddings, sliding window) and Qwen2-like (q/k/v biases) models.
 */
class StructuredSurgeryTest {
    /** fp32 GEMMs sum in a different order once the widths change; 1e-5 of the largest logit is far above that. */
    private static final double TOLERANCE = 1e-5;

    static Stream<ModelConfig> configs() {
        return Stream.of(TinyModels.llama(1e-5f), TinyModels.gemma(), TinyModels.qwen2());
    }

    private static PlanBuilder builder(ModelConfig c) {
        return new PlanBuilder(c, TinyModels.randomScores(c, 11)).round(1);
    }

    /** Masked and removed give the same logits, and the cut really changed the model. */
    private static void assertRemovalEqualsMask(ModelConfig c, StructuredPlan plan) {
        ModelWeights w = TinyModels.weights(c, 5);
        ModelWeights masked = TinyModels.copy(w);
        StructuredMask.apply(c, masked, plan);
        float[] expected = logits(c, masked, TOKENS);
        PrunedModel p = StructuredSurgery.apply(c, w, plan);
        assertThat(relativeDifference(expected, logits(p.config(), p.weights(), TOKENS)))
                .as("removed vs masked logits").isLessThan(TOLERANCE);
        assertThat(relativeDifference(logits(c, w, TOKENS), expected)).as("the cut changes the dense model")
                .isGreaterThan(1e-3);
        assertThat(p.weights().parameterCount()).as("parameters of the result")
                .isEqualTo(CoupledGroups.of(c, w).parameterCount(plan))
                .isLessThan(w.parameterCount());
    }

    private static StructuredPlan everyLayer(ModelConfig c, Function<Integer, PlanBuilder> perLayer) {
        PlanBuilder b = null;
        for (int l = 0; l < c.blockCount(); l++) b = perLayer.apply(l);
        return b.build();
    }

    @ParameterizedTest
    @MethodSource("configs")
    void wholeKvGroups(ModelConfig c) {
        StructuredPlan plan = builder(c).keepKvHeads(0, 1).keepKvHeads(2, 1).build();
        assertRemovalEqualsMask(c, plan);
        ModelConfig p = StructuredSurgery.apply(c, TinyModels.weights(c, 5), plan).config();
        int group = c.headCount(0) / c.headCountKv(0);
        assertThat(p.headCountKv()).containsExactly(IntStream.range(0, c.blockCount()).map(l -> l == 0 || l == 2 ? 1 : 2).toArray());
        for (int l = 0; l < p.blockCount(); l++) {
            assertThat(p.headCount(l)).as("GQA group size kept").isEqualTo(group * p.headCountKv(l));
        }
        assertThat(p.headDim()).isEqualTo(c.headDim());
    }

    @ParameterizedTest
    @MethodSource("configs")
    void queryHeadsEvenlyInsideEveryKvGroup(ModelConfig c) {
        PlanBuilder b = builder(c);
        int group = c.headCount(0) / c.headCountKv(0);
        StructuredPlan plan = everyLayer(c, l -> b.keepQueryHeadsPerKvHead(l, group - 1));
        assertRemovalEqualsMask(c, plan);
        ModelConfig p = StructuredSurgery.apply(c, TinyModels.weights(c, 5), plan).config();
        assertThat(p.headCountKv()).isEqualTo(c.headCountKv());
        assertThat(p.headCount(0)).isEqualTo((group - 1) * c.headCountKv(0));
    }

    @ParameterizedTest
    @MethodSource("configs")
    void ffnChannels(ModelConfig c) {
        PlanBuilder b = builder(c);
        StructuredPlan plan = everyLayer(c, l -> b.keepFfnChannels(l, c.feedForwardLength(l) - 5 - 3 * l));
        assertRemovalEqualsMask(c, plan);
        assertThat(PrunedConfig.of(c, plan).feedForwardLength()).containsExactly(
                IntStream.range(0, c.blockCount()).map(l -> c.feedForwardLength(l) - 5 - 3 * l).toArray());
    }

    @ParameterizedTest
    @MethodSource("configs")
    void wholeLayers(ModelConfig c) {
        // Gemma-like: every 2nd layer is global, so removing a local and a global layer keeps the pattern
        PlanBuilder b = builder(c).removeLayer(1);
        if (c.slidingWindow() > 0) b.removeLayer(2);
        StructuredPlan plan = b.build();
        assertRemovalEqualsMask(c, plan);
        assertThat(PrunedConfig.of(c, plan).blockCount()).isEqualTo(2);
    }

    @ParameterizedTest
    @MethodSource("configs")
    void hiddenChannels(ModelConfig c) {
        StructuredPlan plan = builder(c).keepHiddenChannels(c.embeddingLength() - 7).build();
        assertRemovalEqualsMask(c, plan);
        ModelConfig p = PrunedConfig.of(c, plan);
        int d = c.embeddingLength(), kept = d - 7;
        assertThat(p.embeddingLength()).isEqualTo(kept);
        assertThat((double) p.rmsNormEps()).isCloseTo(c.rmsNormEps() * (double) d / kept, Offset.offset(1e-12));
        assertThat(p.embeddingScale()).isEqualTo(c.architecture().equals("gemma3") ? (float) Math.sqrt(kept) : 1f);
    }

    @ParameterizedTest
    @MethodSource("configs")
    void everyKindAtOnce(ModelConfig c) {
        PlanBuilder b = builder(c).keepHiddenChannels(c.embeddingLength() - 4).removeLayer(c.blockCount() - 1)
                .removeLayer(c.blockCount() - 2);
        int group = c.headCount(0) / c.headCountKv(0);
        StructuredPlan plan = everyLayer(c, l -> b.keepKvHeads(l, l == 0 ? 1 : 2).keepQueryHeadsPerKvHead(l, group - 1)
                .keepFfnChannels(l, c.feedForwardLength(l) / 2));
        assertRemovalEqualsMask(c, plan);
    }

    /**
     * The proof the issue asks for: with only the embedding columns and the writers' rows of the removed channels
     * zeroed (readers, gains and lm_head untouched), removal with gain and eps rescaling is exact. A large eps makes
     * the eps rescaling matter; the Gemma-like model also checks the √d embedding fold with tied weights.
     */
    @ParameterizedTest
    @MethodSource("hiddenConfigs")
    void hiddenRemovalIsExactWhenTheResidualChannelsAreZero(ModelConfig c) {
        ModelWeights w = TinyModels.weights(c, 9);
        int[] removed = {1, 6, 7, 20};
        CoupledGroups groups = CoupledGroups.of(c, w);
        for (int ch : removed) {
            for (TensorSlice s : groups.slices(new HiddenChannel(ch))) {
                boolean residualSource = s.role() == TensorRole.TOKEN_EMBD || s.role() == TensorRole.ATTN_OUTPUT
                        || s.role() == TensorRole.FFN_DOWN;
                if (residualSource) WeightTensors.get(w, s.role(), s.block()).zero(s);
            }
        }
        float[] expected = logits(c, w, TOKENS);
        int[] kept = IntStream.range(0, c.embeddingLength()).filter(i -> IntStream.of(removed).noneMatch(r -> r == i)).toArray();
        StructuredPlan keepAll = StructuredPlan.keepAll(c);
        StructuredPlan plan = new StructuredPlan(keepAll.keptQueryHeads(), keepAll.keptKvHeads(),
                keepAll.keptFfnChannels(), kept, keepAll.removedLayers());
        PrunedModel p = StructuredSurgery.apply(c, w, plan);
        assertThat(relativeDifference(expected, logits(p.config(), p.weights(), TOKENS))).isLessThan(TOLERANCE);
    }

    static Stream<ModelConfig> hiddenConfigs() {
        return Stream.of(TinyModels.llama(0.5f), TinyModels.gemma(), TinyModels.qwen2());
    }

    @Test
    void theOriginalWeightsAreNotModified() {
        ModelConfig c = TinyModels.llama(1e-5f);
        ModelWeights w = TinyModels.weights(c, 5);
        float[] before = logits(c, w, TOKENS);
        StructuredSurgery.apply(c, w, builder(c).keepHiddenChannels(20).keepFfnChannels(0, 8).keepKvHeads(1, 1).build());
        assertThat(logits(c, w, TOKENS)).containsExactly(before);
    }

    @Test
    void refusesAnEmptyLayer() {
        ModelConfig c = TinyModels.llama(1e-5f);
        assertThatThrownBy(() -> builder(c).keepFfnChannels(1, 0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 1: no FFN channel left; remove the whole layer instead");
        assertThatThrownBy(() -> builder(c).keepKvHeads(2, 0).build())
                .hasMessageContaining("layer 2: no attention head left");
        assertThatThrownBy(() -> builder(c).keepQueryHeadsPerKvHead(0, 0))
                .hasMessageContaining("a kept KV head needs at least one query head");
    }

    @Test
    void refusesABrokenGqaGroup() {
        ModelConfig c = TinyModels.llama(1e-5f);
        StructuredPlan all = StructuredPlan.keepAll(c);
        int[][] q = all.keptQueryHeads().clone();
        q[0] = new int[] {0, 1, 2}; // KV head 0 keeps two query heads, KV head 1 one
        StructuredPlan uneven = new StructuredPlan(q, all.keptKvHeads(), all.keptFfnChannels(), all.keptHiddenChannels(),
                all.removedLayers());
        assertThatThrownBy(() -> StructuredSurgery.apply(c, TinyModels.weights(c, 1), uneven))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layer 0: ").hasMessageContaining("GQA");
        int[][] kv = all.keptKvHeads().clone();
        kv[1] = new int[] {0};
        StructuredPlan orphan = new StructuredPlan(all.keptQueryHeads(), kv, all.keptFfnChannels(),
                all.keptHiddenChannels(), all.removedLayers());
        assertThatThrownBy(() -> StructuredSurgery.apply(c, TinyModels.weights(c, 1), orphan))
                .hasMessageContaining("layer 1: query head 2 is kept but its KV head 1 is removed");
    }

    @Test
    void refusesALayerRemovalThatShiftsTheSlidingWindowPattern() {
        ModelConfig c = TinyModels.gemma();
        assertThatThrownBy(() -> StructuredSurgery.apply(c, TinyModels.weights(c, 1), builder(c).removeLayer(0).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 1 (global attention) into layer 0, which runtimes treat as sliding-window");
    }

    @Test
    void removedGroupsAreListedOnce() {
        ModelConfig c = TinyModels.llama(1e-5f);
        StructuredPlan plan = builder(c).keepKvHeads(0, 1).keepFfnChannels(1, 46).removeLayer(2).build();
        List<?> removed = CoupledGroups.of(c).removedBy(plan);
        assertThat(removed).hasSize(1 + 2 + 1).doesNotHaveDuplicates();
    }
}
