package dev.prune4j.prune.structure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prune4j.model.arch.TensorRole;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.prune.structure.StructureGroup.AttentionGroup;
import dev.prune4j.prune.structure.StructureGroup.DecoderLayer;
import dev.prune4j.prune.structure.StructureGroup.FfnChannel;
import dev.prune4j.prune.structure.StructureGroup.HiddenChannel;
import dev.prune4j.prune.structure.StructureGroup.QueryHead;
import dev.prune4j.prune.structure.surgery.StructuredMask;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Groups own the slices their parameter counts say, and the counts add up to the model's. */
class CoupledGroupsTest {
    static Stream<ModelConfig> configs() {
        return Stream.of(TinyModels.llama(1e-5f), TinyModels.gemma(), TinyModels.qwen2());
    }

    @ParameterizedTest
    @MethodSource("configs")
    void modelParameterCountMatchesTheWeights(ModelConfig c) {
        ModelWeights w = TinyModels.weights(c, 3);
        assertThat(CoupledGroups.of(c, w).parameterCount()).isEqualTo(w.parameterCount());
        assertThat(CoupledGroups.of(c).parameterCount()).as("biases inferred from the architecture")
                .isEqualTo(w.parameterCount());
        assertThat(CoupledGroups.of(c, w).parameterCount(StructuredPlan.keepAll(c))).isEqualTo(w.parameterCount());
    }

    /** Zeroing a group's slices in a model without zeros zeroes exactly as many values as the group counts. */
    @ParameterizedTest
    @MethodSource("configs")
    void eachGroupZeroesAsManyValuesAsItCounts(ModelConfig c) {
        CoupledGroups groups = CoupledGroups.of(c, TinyModels.weights(c, 3));
        for (StructureGroup g : List.of(new AttentionGroup(1, 1), new QueryHead(2, 1), new FfnChannel(0, 7),
                new HiddenChannel(5), new DecoderLayer(1))) {
            ModelWeights w = TinyModels.weights(c, 3);
            long before = zeros(w);
            StructuredMask.zero(groups, w, List.of(g));
            assertThat(zeros(w) - before).as(g.toString()).isEqualTo(groups.parameterCount(g));
        }
    }

    /** o_proj and down_proj biases (bias compensation) are counted, and a hidden channel owns their entries. */
    @Test
    void outputBiasesBelongToHiddenChannels() {
        ModelConfig c = TinyModels.llama(1e-5f);
        ModelWeights w = TinyModels.withOutputBiases(TinyModels.weights(c, 3), 1, 4);
        CoupledGroups groups = CoupledGroups.of(c, w);
        assertThat(groups.biases()).containsExactlyInAnyOrder(TensorRole.ATTN_OUTPUT_BIAS, TensorRole.FFN_DOWN_BIAS);
        assertThat(groups.parameterCount()).isEqualTo(w.parameterCount());
        assertThat(CoupledGroups.of(c).withBiases(TensorRole.ATTN_OUTPUT_BIAS, TensorRole.FFN_DOWN_BIAS).parameterCount())
                .isEqualTo(w.parameterCount());
        assertThat(groups.hiddenChannelParameters()).isEqualTo(CoupledGroups.of(c).hiddenChannelParameters() + 2 * 3);
        StructuredMask.zero(groups, w, List.of(new HiddenChannel(5)));
        assertThat(w.blocks()[2].attnOutput().bias()[5]).isZero();
        assertThat(w.blocks()[2].ffnDown().bias()[5]).isZero();
        assertThat(w.blocks()[2].ffnDown().bias()[4]).isNotZero();
    }

    @Test
    void groupSizesOfALlamaLayer() {
        ModelConfig c = TinyModels.llama(1e-5f); // d 32, 4 query heads / 2 KV heads of 8, FFN 48, vocab 50, untied
        CoupledGroups g = CoupledGroups.of(c);
        int d = 32, hd = 8;
        assertThat(g.ffnChannelParameters(0)).isEqualTo(3 * d);
        assertThat(g.queryHeadParameters(0)).isEqualTo(2 * hd * d);                  // q rows + o columns
        assertThat(g.attentionGroupParameters(0)).isEqualTo(2 * 2 * hd * d + 2 * hd * d); // 2 query heads + k, v
        // embedding + lm_head columns, output norm, and per layer 2 norms, q/k/v/gate/up columns, o/down rows
        assertThat(g.hiddenChannelParameters()).isEqualTo(2 * 50 + 1 + 3 * (2 + (32 + 16 + 16 + 48 + 48) + (32 + 48)));
        assertThat(g.layerParameters(0)).isEqualTo(TinyModels.weights(c, 1).blocks()[0].parameterCount());
    }

    @Test
    void qwen2GroupsOwnTheirBiases() {
        ModelConfig c = TinyModels.qwen2(); // d 24, 6 query heads / 2 KV heads of 8
        CoupledGroups g = CoupledGroups.of(c);
        assertThat(g.queryHeadParameters(0)).isEqualTo(2 * 8 * 24 + 8);
        assertThat(g.attentionGroupParameters(0)).isEqualTo(3 * (2 * 8 * 24 + 8) + 2 * (8 * 24 + 8));
    }

    private static long zeros(ModelWeights w) {
        long n = 0;
        for (TensorRole role : TensorRole.values()) {
            for (int l = 0; l < (role.perBlock() ? w.blocks().length : 1); l++) {
                if (role == TensorRole.OUTPUT && w.tied()) continue;
                WeightTensors.View v = WeightTensors.get(w, role, l);
                if (v == null) continue;
                for (float x : v.data()) if (x == 0f) n++;
            }
        }
        return n;
    }
}
