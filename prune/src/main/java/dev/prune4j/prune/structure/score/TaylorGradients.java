package dev.prune4j.prune.structure.score;

import dev.prune4j.model.arch.Architecture;
import dev.prune4j.model.arch.TensorRole;
import dev.prune4j.model.config.ModelConfig;
import dev.prune4j.model.weights.ModelWeights;
import dev.prune4j.train.autograd.Tensor;
import dev.prune4j.train.data.Batch;
import dev.prune4j.train.loss.CrossEntropyLoss;
import dev.prune4j.train.nn.Decoder;
import dev.prune4j.train.nn.ForwardOptions;
import dev.prune4j.train.run.Objective;
import dev.prune4j.train.run.PerSampleGradients;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The loss gradient, and optionally the empirical Fisher diagonal, of every block linear's weight on a few
 * calibration sequences, from one backward pass per sequence with the training engine. The loss is next-token
 * cross-entropy with the sequence as its own labels (LLM-Pruner's {@code model(x, labels=x).loss}).
 *
 * <p>{@code g} is the gradient of the mean loss over all predicted tokens of all sequences (the token-weighted mean
 * of the per-sequence gradients, which is LLM-Pruner's one backward over the whole batch);
 * {@code F = (1/N) Σ_n g_n ⊙ g_n} over the N per-sequence gradients (LLM-Pruner's {@code acc_grad}).
 *
 * <p>Memory: the weights are shared, not copied; on top of them one fp32 gradient buffer, the mean gradient and,
 * when asked, the Fisher diagonal, each the size of the block linears (q, k, v, o, gate, up, down of every layer),
 * plus one sequence's activations. For SmolLM2-135M (106 M block-linear weights) that is 0.85 GB, or 1.27 GB with
 * the Fisher diagonal, over the model's own 0.62 GB: measured 1.60 GB and 2.08 GB live in all during the backward
 * passes, about 2 s per 64-token sequence on 2 cores.
 */
public final class TaylorGradients {
    /** The block linears a structured group owns slices of, in forward order. */
    static final List<TensorRole> ROLES = List.of(TensorRole.ATTN_Q, TensorRole.ATTN_K, TensorRole.ATTN_V,
            TensorRole.ATTN_OUTPUT, TensorRole.FFN_GATE, TensorRole.FFN_UP, TensorRole.FFN_DOWN);

    private final Map<String, float[]> gradient; // by HF tensor name, [out, in]
    private final Map<String, float[]> fisher;   // by HF tensor name, [out, in]; empty unless asked
    private final Architecture arch;
    private final double meanLoss;

    private TaylorGradients(Architecture arch, Map<String, float[]> gradient, Map<String, float[]> fisher, double meanLoss) {
        this.arch = arch;
        this.gradient = gradient;
        this.fisher = fisher;
        this.meanLoss = meanLoss;
    }

    /**
     * @param samples [sample][token] sequences; every token after the first is predicted
     * @param fisher  also accumulate the Fisher diagonal (element² scores)
     */
    public static TaylorGradients compute(ModelConfig config, ModelWeights weights, int[][] samples, boolean fisher,
                                          ScoreProgress progress) {
        if (samples == null || samples.length == 0) {
            throw new IllegalArgumentException("Taylor scores need calibration sequences, got none");
        }
        Architecture arch = Architecture.fromGgufName(config.architecture(), "model config");
        List<String> names = new ArrayList<>();
        for (int l = 0; l < config.blockCount(); l++) {
            for (TensorRole r : ROLES) names.add(arch.hfName(r, l));
        }
        Decoder decoder = Decoder.of(config, weights, names::contains);
        List<Tensor> params = names.stream().map(n -> decoder.tensors().get(n)).toList();

        List<Batch> batches = new ArrayList<>();
        long predicted = 0;
        for (int[] s : samples) {
            if (s.length < 2) throw new IllegalArgumentException("a Taylor calibration sequence needs 2 tokens, got " + s.length);
            int[] targets = new int[s.length];
            System.arraycopy(s, 1, targets, 0, s.length - 1);
            targets[s.length - 1] = CrossEntropyLoss.IGNORE;
            batches.add(new Batch(s.clone(), targets, 1, s.length));
            predicted += s.length - 1;
        }
        Map<String, float[]> g = new HashMap<>(), f = new HashMap<>();
        for (Tensor t : params) {
            g.put(t.name(), new float[t.size()]);
            if (fisher) f.put(t.name(), new float[t.size()]);
        }
        double[] loss = {0};
        long total = predicted;
        PerSampleGradients.forEach(decoder, Objective.languageModel(), batches, params, ForwardOptions.EVAL, (n, l, ps) -> {
            float share = (float) ((double) batches.get(n).targetCount() / total);
            loss[0] += l * share;
            for (Tensor t : ps) {
                if (!t.hasGrad()) continue;
                float[] grad = t.grad(), acc = g.get(t.name()), fAcc = f.get(t.name());
                for (int i = 0; i < grad.length; i++) acc[i] += share * grad[i];
                if (fAcc != null) {
                    float inv = 1f / batches.size();
                    for (int i = 0; i < grad.length; i++) fAcc[i] += grad[i] * grad[i] * inv;
                }
            }
            progress.step("llm-pruner", n + 1, batches.size());
        });
        return new TaylorGradients(arch, g, f, loss[0]);
    }

    /** @return [out, in] the mean loss gradient of a block linear's weight */
    public float[] gradient(int layer, TensorRole role) {
        return gradient.get(arch.hfName(role, layer));
    }

    /** @return [out, in] the Fisher diagonal, or null when it was not accumulated */
    public float[] fisher(int layer, TensorRole role) {
        return fisher.get(arch.hfName(role, layer));
    }

    /** The mean next-token loss over the calibration tokens (for the run log). */
    public double meanLoss() {
        return meanLoss;
    }
}
