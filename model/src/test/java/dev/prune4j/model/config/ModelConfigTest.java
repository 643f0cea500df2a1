package dev.prune4j.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prune4j.tensor.kernels.Rope;
import org.junit.jupiter.api.Test;

class ModelConfigTest {
    private static ModelConfig withHeads(int[] heads, int[] kv) {
        return new ModelConfig("llama", heads.length, 16, 10, 32, heads, kv, new int[heads.length], 4, 1e-5f, 1e4f, 1e4f,
                1f, 4, Rope.Layout.NORMAL, 0, 0, Activation.SILU, 1f, true, false, false);
    }

    private static int[] filled(int n, int v) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Test
    void refusesGqaGroupsThatDoNotDivide() {
        assertThatThrownBy(() -> withHeads(new int[] {4, 3}, new int[] {2, 2}))
                .hasMessageContaining("layer 1: 3 query heads are not a multiple of 2 KV heads");
    }

    @Test
    void perLayerDimensionsAndUniformity() {
        ModelConfig c = withHeads(new int[] {4, 2}, new int[] {2, 1});
        assertThat(c.qDim(0)).isEqualTo(16);
        assertThat(c.kvDim(1)).isEqualTo(4);
        assertThat(c.isUniform()).isFalse();
        assertThat(withHeads(new int[] {4, 4}, new int[] {2, 2}).isUniform()).isTrue();
    }

    @Test
    void slidingLayersFollowThePattern() {
        ModelConfig c = new ModelConfig("gemma3", 12, 16, 10, 32, filled(12, 4), filled(12, 1), filled(12, 8), 4, 1e-6f, 1e6f, 1e4f,
                1f, 4, Rope.Layout.NEOX, 512, 6, Activation.GELU_TANH, 4f, true, true, true);
        for (int i = 0; i < 12; i++) assertThat(c.isSlidingLayer(i)).as("layer %d", i).isEqualTo(i != 5 && i != 11);
    }
}
