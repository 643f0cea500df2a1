package dev.prune4j.train.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.weights.RandomWeights;
import dev.prune4j.train.Rng;
import dev.prune4j.train.autograd.ElementwiseOps;
import dev.prune4j.train.autograd.Tape;
import dev.prune4j.train.autograd.Tensor;
import dev.prune4j.train.data.Batch;
import dev.prune4j.train.data.BatchSampler;
import dev.prune4j.train.data.Example;
import dev.prune4j.train.data.TextWindows;
import dev.prune4j.train.lora.Lora;
import dev.prune4j.train.lora.LoraAdapter;
import dev.prune4j.train.lora.LoraConfig;
import dev.prune4j.train.nn.ChannelMask;
import dev.prune4j.train.nn.Decoder;
import dev.prune4j.train.nn.ForwardOptions;
import dev.prune4j.train.nn.MaskGate;
import dev.prune4j.train.nn.Taps;
import dev.prune4j.train.nn.TinyModels;
import dev.prune4j.train.optim.ParamGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerTest {
    private final ModelConfig c = TinyModels.llamaGqa();

    private List<Example> windows(long seed, int n) {
        Rng r = new Rng(seed);
        int[] text = new int[n];
        for (int i = 0; i < n; i++) text[i] = r.nextInt(c.vocabSize());
        return TextWindows.of(text, 16, -1);
    }

    private static Trainer.Config config(int steps, int accumulation) {
        return new Trainer.Config(steps, 2, 0.1, 1.0, accumulation, false, 7);
    }

    /** LoRA on every linear memorises four random windows: the loss falls well below its start. */
    @Test
    void loraTrainingLowersTheLoss() {
        Decoder d = Decoder.of(c, RandomWeights.create(c, 1));
        List<LoraAdapter> adapters = Lora.attach(d, new LoraConfig(8, 16, 0, List.of(LoraConfig.ALL_LINEAR), null), 2);
        Trainer t = new Trainer(d, Objective.languageModel(), List.of(ParamGroup.of("lora", Lora.parameters(adapters), 1e-2, 0)),
                List.of(), new BatchSampler(windows(3, 4 * 16 + 1), 2, 4), config(40, 1));
        List<Double> losses = new ArrayList<>();
        while (!t.done()) losses.add(t.step().loss());
        assertThat(losses.getLast()).as("last loss vs first " + losses.getFirst()).isLessThan(0.5 * losses.getFirst());
    }

    /** Two micro-batches of one sequence accumulate to the gradient of one batch of both. */
    @Test
    void gradientAccumulationEqualsTheLargerBatch() {
        List<Example> ex = windows(5, 2 * 16 + 1);
        float[][] after = new float[2][];
        for (int accumulation = 1; accumulation <= 2; accumulation++) {
            Decoder d = Decoder.of(c, RandomWeights.create(c, 6), name -> name.contains("layers.1.mlp.up_proj"));
            Tensor up = d.tensors().get("model.layers.1.mlp.up_proj.weight");
            // the same two examples in the same order: one batch of 2, or 2 batches of 1
            Trainer t = new Trainer(d, Objective.languageModel(), List.of(ParamGroup.of("up", List.of(up), 1e-2, 0)), List.of(),
                    new BatchSampler(ex, 3 - accumulation, 8), new Trainer.Config(1, 0, 1, 0, accumulation, false, 1));
            t.step();
            after[accumulation - 1] = up.data().clone();
        }
        double maxDiff = 0;
        for (int i = 0; i < after[0].length; i++) maxDiff = Math.max(maxDiff, Math.abs(after[0][i] - after[1][i]));
        assertThat(maxDiff).isLessThan(1e-6);
    }

    /**
     * A method's extension: a head-mask score vector in its own group, a regulariser pulling the mask sum to a
     * target, a dual variable that ascends, and a projection after each update (scores clamped to [−1, 1], dual ≥ 0).
     */
    @Test
    void extensionParametersRegularizerAndProjectionHooks() {
        Decoder d = Decoder.of(c, RandomWeights.create(c, 9));
        Tensor scores = Tensor.parameter("head scores", new float[] {0.5f, 0.5f, 0.5f, 0.5f}, 4);
        Tensor dual = Tensor.parameter("dual", new float[] {0f}, 1);
        List<Integer> projected = new ArrayList<>();
        TrainingExtension ext = new TrainingExtension() {
            @Override public List<ParamGroup> parameterGroups() {
                return List.of(ParamGroup.of("masks", List.of(scores), 0.05, 0), new ParamGroup("dual", List.of(dual), 0.1, 0, true));
            }
            @Override public Taps taps() {
                return ChannelMask.heads(layer -> scores, c.headDim(), MaskGate.sigmoid(() -> 4, () -> 0));
            }
            @Override public Tensor regularizer(Tape tape, int step) {
                // dual · (Σ scores − 1): the dual ascends while the constraint is violated
                Tensor violation = ElementwiseOps.add(tape, ElementwiseOps.sum(tape, scores), Tensor.constant(new float[] {-1f}));
                return ElementwiseOps.mul(tape, dual, violation);
            }
            @Override public void afterUpdate(int step) {
                for (int i = 0; i < 4; i++) scores.data()[i] = Math.max(-1f, Math.min(1f, scores.data()[i]));
                dual.data()[0] = Math.max(0f, dual.data()[0]);
                projected.add(step);
            }
        };
        Trainer t = new Trainer(d, Objective.languageModel(), List.of(), List.of(ext), new BatchSampler(windows(10, 33), 1, 1),
                new Trainer.Config(3, 0, 1, 0, 1, false, 2));
        for (int i = 0; i < 3; i++) t.step();
        assertThat(projected).containsExactly(0, 1, 2);
        assertThat(dual.data()[0]).as("dual after 3 ascent steps on a violated constraint").isCloseTo(0.3f, offset(2e-3f));
        for (float s : scores.data()) assertThat(s).isBetween(-1f, 0.5f - 1e-3f);
        assertThat(t.parameters()).contains(scores, dual);
    }

    /** A student that is the teacher has zero KL; a perturbed one learns back towards it. */
    @Test
    void distillationPullsTheStudentToTheTeacher() {
        Decoder teacher = Decoder.of(c, RandomWeights.create(c, 11));
        Decoder student = Decoder.of(c, RandomWeights.create(c, 11));
        List<LoraAdapter> adapters = Lora.attach(student, new LoraConfig(4, 8, 0, List.of("down_proj"), null), 3);
        Objective kd = new Distillation(teacher, 2f, 1f);
        BatchSampler data = new BatchSampler(windows(12, 65), 2, 0);
        Batch b = data.next();
        assertThat(kd.loss(Tape.noGrad(), student, b, ForwardOptions.EVAL).item()).isCloseTo(0f, offset(1e-5f));
        Rng rng = new Rng(4);
        for (LoraAdapter a : adapters) {
            for (int i = 0; i < a.b().size(); i++) a.b().data()[i] = (float) (0.3 * rng.nextGaussian());
        }
        Trainer t = new Trainer(student, kd, List.of(ParamGroup.of("lora", Lora.parameters(adapters), 1e-2, 0)), List.of(), data,
                new Trainer.Config(25, 0, 1, 0, 1, false, 5));
        double first = t.step().loss(), last = first;
        while (!t.done()) last = t.step().loss();
        assertThat(last).isLessThan(0.5 * first);
    }

    /** Per-sample backward passes: the Fisher diagonal is the mean of the squared per-sample gradients. */
    @Test
    void fisherDiagonalFromPerSampleGradients() {
        Decoder d = Decoder.of(c, RandomWeights.create(c, 13), name -> name.equals("model.layers.0.self_attn.v_proj.weight"));
        Tensor v = d.tensors().get("model.layers.0.self_attn.v_proj.weight");
        BatchSampler s = new BatchSampler(windows(14, 49), 1, 0);
        List<Batch> samples = List.of(s.next(), s.next(), s.next());
        Map<Tensor, double[]> f = PerSampleGradients.fisherDiagonal(d, Objective.languageModel(), samples, List.of(v), ForwardOptions.EVAL);
        double[] expected = new double[v.size()];
        for (Batch b : samples) {
            v.zeroGrad();
            Tape tape = new Tape();
            tape.backward(Objective.languageModel().loss(tape, d, b, ForwardOptions.EVAL));
            for (int i = 0; i < expected.length; i++) expected[i] += (double) v.grad()[i] * v.grad()[i] / 3;
        }
        assertThat(f.get(v)).containsExactly(expected, offset(1e-12));
    }
}
