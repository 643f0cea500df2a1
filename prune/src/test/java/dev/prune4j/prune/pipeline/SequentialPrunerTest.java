package dev.prune4j.prune.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.prune4j.model.arch.Architecture;
import dev.prune4j.model.arch.TensorRole;
import dev.prune4j.model.config.Activation;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.forward.CapturePoint;
import dev.prune4j.model.forward.ForwardHooks;
import dev.prune4j.model.forward.Transformer;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.model.weights.RandomWeights;
import dev.prune4j.prune.calib.InputStatistics;
import dev.prune4j.prune.method.SparsityTarget;
import dev.prune4j.prune.method.WandaPruner;
import dev.prune4j.tensor.kernels.Rope;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SequentialPrunerTest {
    static ModelConfig tinyLlama() {
        return new ModelConfig("llama", 3, 32, 50, 64, new int[] {4, 4, 4}, new int[] {2, 2, 2}, new int[] {48, 48, 48}, 8,
                1e-5f, 10000f, 10000f, 1f, 8, Rope.Layout.NORMAL, 0, 0, Activation.SILU, 1f, false, false, false);
    }

    static int[][] samples(int n, int length, long seed) {
        Random rnd = new Random(seed);
        int[][] s = new int[n][length];
        for (int[] row : s) for (int i = 0; i < length; i++) row[i] = rnd.nextInt(50);
        return s;
    }

    @Test
    void prunesEveryLinearExactlyAndRecordsIt() {
        ModelConfig c = tinyLlama();
        ModelWeights w = RandomWeights.create(c, 1);
        List<TargetLinear> targets = LinearSelection.select(Architecture.LLAMA, w, ".*");
        assertThat(targets).hasSize(21);
        List<LinearRecord> records = new SequentialPruner(new Transformer(c, w), targets, new WandaPruner(),
                SparsityPlan.uniform(new SparsityTarget.Unstructured(0.5), 3), PipelineListener.NONE).run(samples(4, 12, 2));
        assertThat(records).hasSize(21);
        for (LinearRecord r : records) {
            assertThat(r.sparsity()).as(r.name()).isEqualTo(0.5);
            assertThat(r.relativeError()).as(r.name()).isGreaterThan(0).isLessThan(1);
        }
        assertThat(records.get(0).name()).isEqualTo("model.layers.0.self_attn.q_proj");
    }

    /**
     * Layer 1's statistics must come from the outputs of the already pruned layer 0: rebuild them independently by a
     * full forward pass of the model as the pipeline left it (layer 1 still dense) and compare Wanda's masks.
     */
    @Test
    void laterLayersSeeTheOutputsOfPrunedEarlierLayers() {
        ModelConfig c = tinyLlama();
        ModelWeights pruned = RandomWeights.create(c, 3);
        ModelWeights reference = RandomWeights.create(c, 3);
        int[][] samples = samples(3, 10, 4);
        List<TargetLinear> layer0 = LinearSelection.select(Architecture.LLAMA, pruned, "layers\\.0\\.");
        new SequentialPruner(new Transformer(c, pruned), layer0, new WandaPruner(),
                SparsityPlan.uniform(new SparsityTarget.Unstructured(0.5), 3), PipelineListener.NONE).run(samples);
        // the independent path: copy layer 0's pruned weights into the reference model, run full forwards
        for (TensorRole role : List.of(TensorRole.ATTN_Q, TensorRole.ATTN_K, TensorRole.ATTN_V, TensorRole.ATTN_OUTPUT,
                TensorRole.FFN_GATE, TensorRole.FFN_UP, TensorRole.FFN_DOWN)) {
            float[] src = pruned.blocks()[0].linear(role).weight();
            System.arraycopy(src, 0, reference.blocks()[0].linear(role).weight(), 0, src.length);
        }
        InputStatistics expected = InputStatistics.diagonal(32);
        Transformer t = new Transformer(c, reference);
        for (int[] s : samples) {
            t.forward(s, t.newCache(s.length), new ForwardHooks() {
                @Override
                public void linearInput(int layer, CapturePoint point, float[] x, int rows, int cols) {
                    if (layer == 1 && point == CapturePoint.ATTN_IN) expected.add(x, rows);
                }
            });
        }
        float[] expectedQ = reference.blocks()[1].linear(TensorRole.ATTN_Q).weight().clone();
        new WandaPruner().prune(expectedQ, 32, 32, expected, new SparsityTarget.Unstructured(0.5));

        List<TargetLinear> layer1 = LinearSelection.select(Architecture.LLAMA, pruned, "layers\\.1\\.self_attn\\.q_proj");
        // a fresh pipeline over the model whose layer 0 is pruned: it must reach layer 1 with the same inputs
        new SequentialPruner(new Transformer(c, pruned), layer1, new WandaPruner(),
                SparsityPlan.uniform(new SparsityTarget.Unstructured(0.5), 3), PipelineListener.NONE).run(samples);
        assertThat(pruned.blocks()[1].linear(TensorRole.ATTN_Q).weight()).containsExactly(expectedQ);
    }

    @Test
    void rejectsBadTargetsAndPatternsBeforeAnyWork() {
        ModelConfig c = tinyLlama();
        ModelWeights w = RandomWeights.create(c, 1);
        assertThatThrownBy(() -> LinearSelection.select(Architecture.LLAMA, w, "no_such_linear"))
                .hasMessageContaining("matches no linear");
        assertThatThrownBy(() -> LinearSelection.select(Architecture.LLAMA, w, "([")).hasMessageContaining("not a valid regular");
        List<TargetLinear> targets = LinearSelection.select(Architecture.LLAMA, w, "down_proj");
        // down_proj has 48 inputs: 5 does not divide them
        assertThatThrownBy(() -> new SequentialPruner(new Transformer(c, w), targets, new WandaPruner(),
                SparsityPlan.uniform(new SparsityTarget.NofM(2, 5), 3), PipelineListener.NONE))
                .hasMessageContaining("multiple of 5").hasMessageContaining("model.layers.0.mlp.down_proj");
    }

    @Test
    void owlGivesOutlierHeavyLayersLowerSparsityAndKeepsTheMean() {
        double[] s = OwlAllocation.allocate(new double[] {0.01, 0.03, 0.02, 0.05}, 0.08, 0.6);
        assertThat(s[3]).isLessThan(s[1]).isLessThan(s[2]).isLessThan(s[0]);
        assertThat(s[0] - s[3]).isCloseTo(0.16, org.assertj.core.data.Offset.offset(1e-12));
        assertThat((s[0] + s[1] + s[2] + s[3]) / 4).isCloseTo(0.6, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(OwlAllocation.allocate(new double[] {0.02, 0.02}, 0.08, 0.5)).containsExactly(0.5, 0.5);
    }
}
