package dev.prune4j.train.run;

import dev.prune4j.train.autograd.Tape;
import dev.prune4j.train.autograd.Tensor;
import dev.prune4j.train.data.Batch;
import dev.prune4j.train.nn.Decoder;
import dev.prune4j.train.nn.ForwardOptions;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gradients one sample at a time, for scores that need more than the mean gradient: the empirical Fisher diagonal
 * {@code F = (1/N) Σ_n g_n ⊙ g_n} of LLM-Pruner's second-order Taylor score, or per-sample statistics of SAAP's
 * importance fluctuation. Each sample is its own forward and backward pass.
 */
public final class PerSampleGradients {
    /** Receives one sample's gradients, readable in {@code params}' grad buffers until it returns. */
    @FunctionalInterface
    public interface Consumer {
        void accept(int sample, double loss, List<Tensor> params);
    }

    private PerSampleGradients() {}

    public static void forEach(Decoder decoder, Objective objective, List<Batch> samples, List<Tensor> params, ForwardOptions opt,
                               Consumer consumer) {
        for (int n = 0; n < samples.size(); n++) {
            params.forEach(Tensor::zeroGrad);
            Tape tape = new Tape();
            Tensor loss = objective.loss(tape, decoder, samples.get(n), opt);
            tape.backward(loss);
            consumer.accept(n, loss.item(), params);
        }
        params.forEach(Tensor::zeroGrad);
    }

    /** The empirical Fisher diagonal of each tensor over the samples, accumulated in double. */
    public static Map<Tensor, double[]> fisherDiagonal(Decoder decoder, Objective objective, List<Batch> samples, List<Tensor> params,
                                                       ForwardOptions opt) {
        Map<Tensor, double[]> f = new IdentityHashMap<>();
        for (Tensor t : params) f.put(t, new double[t.size()]);
        forEach(decoder, objective, samples, params, opt, (n, loss, ps) -> {
            for (Tensor t : ps) {
                if (!t.hasGrad()) continue;
                double[] acc = f.get(t);
                float[] g = t.grad();
                for (int i = 0; i < g.length; i++) acc[i] += (double) g[i] * g[i] / samples.size();
            }
        });
        return f;
    }
}
