package dev.prune4j.train.optim;

import dev.prune4j.tensor.Parallel;
import dev.prune4j.train.autograd.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter) with parameter groups, as PyTorch computes it: decoupled weight decay
 * {@code p ← p·(1 − lr·wd)}, moments {@code m ← β1·m + (1−β1)·g}, {@code v ← β2·v + (1−β2)·g²}, then
 * {@code p ← p − lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε)}. Moments are fp32, one pair per parameter, keyed by the
 * parameter's name so a checkpoint can hold them. Parameters that received no gradient in a step are left alone.
 */
public final class AdamW {
    /** Hyper-parameters shared by all groups (PyTorch's defaults). */
    public record Betas(double beta1, double beta2, double eps) {
        public static final Betas DEFAULT = new Betas(0.9, 0.999, 1e-8);
    }

    private final List<ParamGroup> groups;
    private final Betas betas;
    private final Map<String, float[][]> moments = new HashMap<>(); // name -> {m, v}
    private long step;

    public AdamW(List<ParamGroup> groups, Betas betas) {
        this.groups = List.copyOf(groups);
        this.betas = betas;
        Map<String, Tensor> seen = new HashMap<>();
        for (ParamGroup g : groups) {
            for (Tensor t : g.params()) {
                if (seen.put(t.name(), t) != null) throw new IllegalArgumentException("parameter name " + t.name() + " appears twice");
            }
        }
    }

    public List<ParamGroup> groups() { return groups; }

    /** Updates taken so far (t of the bias correction). */
    public long steps() { return step; }

    /** One update of every parameter that has a gradient, at {@code lrFactor} times each group's learning rate. */
    public void step(double lrFactor) {
        step++;
        double bc1 = 1 - Math.pow(betas.beta1(), step), bc2 = 1 - Math.pow(betas.beta2(), step);
        for (ParamGroup g : groups) {
            double lr = g.lr() * lrFactor;
            for (Tensor t : g.params()) {
                if (!t.hasGrad()) continue;
                float[][] mv = moments.computeIfAbsent(t.name(), k -> new float[][] {new float[t.size()], new float[t.size()]});
                update(t.data(), t.grad(), mv[0], mv[1], lr, g.weightDecay(), g.maximize(), bc1, bc2);
            }
        }
    }

    private void update(float[] p, float[] grad, float[] m, float[] v, double lr, double wd, boolean maximize, double bc1, double bc2) {
        float b1 = (float) betas.beta1(), b2 = (float) betas.beta2(), eps = (float) betas.eps();
        float decay = (float) (1 - lr * wd), stepSize = (float) (lr / bc1), sqrtBc2 = (float) Math.sqrt(bc2);
        Parallel.forRange(p.length, 1 << 14, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                float g = maximize ? -grad[i] : grad[i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                p[i] = p[i] * decay - stepSize * m[i] / ((float) Math.sqrt(v[i]) / sqrtBc2 + eps);
            }
        });
    }

    /** Zeroes the gradients of every parameter (kept allocated for the next step). */
    public void zeroGrad() {
        for (ParamGroup g : groups) g.params().forEach(Tensor::zeroGrad);
    }

    /** The moments by name, {@code "<param>.exp_avg"} and {@code "<param>.exp_avg_sq"}, for a checkpoint. */
    public Map<String, float[]> state() {
        Map<String, float[]> s = new LinkedHashMap<>();
        for (ParamGroup g : groups) {
            for (Tensor t : g.params()) {
                float[][] mv = moments.get(t.name());
                if (mv == null) continue;
                s.put(t.name() + ".exp_avg", mv[0]);
                s.put(t.name() + ".exp_avg_sq", mv[1]);
            }
        }
        return s;
    }

    /** Restores {@link #state()} and the step count from a checkpoint. */
    public void restore(Map<String, float[]> state, long steps) {
        moments.clear();
        for (ParamGroup g : groups) {
            for (Tensor t : g.params()) {
                float[] m = state.get(t.name() + ".exp_avg"), v = state.get(t.name() + ".exp_avg_sq");
                if (m == null && v == null) continue;
                if (m == null || v == null || m.length != t.size() || v.length != t.size()) {
                    throw new IllegalArgumentException("optimizer state of " + t.name() + " is incomplete or has the wrong size");
                }
                moments.put(t.name(), new float[][] {m.clone(), v.clone()});
            }
        }
        this.step = steps;
    }
}
