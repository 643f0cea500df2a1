package dev.prune4j.train.autograd;

import dev.prune4j.tensor.kernels.FastMath;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Turn real-valued mask scores into the mask a {@link ChannelScaleOp} applies. Two gates:
 * <ul>
 *   <li>{@link #sigmoid}: {@code σ(τ·s) + β}, smooth, with a temperature that a schedule raises to harden it (PAT);</li>
 *   <li>{@link #straightThrough}: any hard function of the scores in the forward (a threshold, a top-k, a projection)
 *       and the identity in the backward, so the scores still learn (PAT's count term, MaskPrune).</li>
 * </ul>
 */
public final class MaskGates {
    /** The forward of a straight-through gate: hard values for a score vector. */
    @FunctionalInterface
    public interface HardGate {
        /** @param scores [n] @return [n] mask values */
        float[] apply(float[] scores);
    }

    private MaskGates() {}

    /** {@code σ(temperature · s) + offset}, element-wise; gradient {@code τ·σ·(1−σ)}. */
    public static Tensor sigmoid(Tape tape, Tensor scores, float temperature, float offset) {
        float[] s = scores.data(), sig = new float[s.length], y = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            sig[i] = 1f / (1f + FastMath.exp(-temperature * s[i]));
            y[i] = sig[i] + offset;
        }
        boolean g = tape.needsGrad(scores);
        Tensor result = tape.output(y, g, scores.shape());
        if (g) {
            tape.record(result, () -> {
                float[] dy = result.grad(), ds = scores.grad();
                for (int i = 0; i < ds.length; i++) ds[i] += dy[i] * temperature * sig[i] * (1f - sig[i]);
            });
        }
        return result;
    }

    /** Forward {@code hard(s)}, backward the identity (the straight-through estimator). */
    public static Tensor straightThrough(Tape tape, Tensor scores, HardGate hard) {
        float[] y = hard.apply(scores.data().clone());
        if (y.length != scores.size()) throw new IllegalArgumentException("hard gate returned " + y.length + " values for " + scores);
        boolean g = tape.needsGrad(scores);
        Tensor result = tape.output(y, g, scores.shape());
        if (g) {
            tape.record(result, () -> {
                float[] dy = result.grad(), ds = scores.grad();
                for (int i = 0; i < ds.length; i++) ds[i] += dy[i];
            });
        }
        return result;
    }

    /** 1 where {@code s ≥ threshold}, else 0 (PAT's binariser with threshold 0). */
    public static HardGate threshold(float threshold) {
        return s -> {
            float[] y = new float[s.length];
            for (int i = 0; i < s.length; i++) y[i] = s[i] >= threshold ? 1f : 0f;
            return y;
        };
    }

    /** 1 on the {@code k} largest scores (ties to the lower index), 0 elsewhere: the layer-uniform projection. */
    public static HardGate topK(int k) {
        return s -> {
            if (k < 0 || k > s.length) throw new IllegalArgumentException("top-" + k + " of " + s.length + " scores");
            Integer[] order = IntStream.range(0, s.length).boxed().toArray(Integer[]::new);
            Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -s[i]).thenComparingInt(i -> i));
            float[] y = new float[s.length];
            for (int i = 0; i < k; i++) y[order[i]] = 1f;
            return y;
        };
    }
}
