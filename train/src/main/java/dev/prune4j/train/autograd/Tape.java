package dev.prune4j.train.autograd;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The record of one forward pass: each op that produced a tensor needing a gradient leaves its backward here, and
 * {@link #backward} runs them in reverse. A backward reads its output's gradient and adds ({@code +=}) into the
 * gradients of those inputs that require one. Ops whose inputs need no gradient are not recorded, and a
 * {@link #noGrad()} tape records nothing, so pure inference keeps no activations alive.
 */
public final class Tape {
    /** The backward of one recorded op. */
    @FunctionalInterface
    public interface Backward {
        void run();
    }

    /** @param liveBytes activation bytes alive when this op ran forward (all of it is still alive when it runs backward) */
    private record Entry(Tensor output, Backward backward, long liveBytes) {}

    private final boolean recording;
    private final List<Entry> entries = new ArrayList<>();
    private final Set<Tensor> retained = Collections.newSetFromMap(new IdentityHashMap<>());
    private long liveBytes;
    private long peakBytes;

    private Tape(boolean recording) {
        this.recording = recording;
    }

    /** A tape that records every op with a gradient-requiring input. */
    public Tape() {
        this(true);
    }

    /** A tape that records nothing: outputs never require a gradient (inference, teacher passes, recomputation). */
    public static Tape noGrad() {
        return new Tape(false);
    }

    public boolean recording() { return recording; }

    /** Whether an op on these inputs must be recorded: the tape records and at least one input needs a gradient. */
    public boolean needsGrad(Tensor... inputs) {
        if (!recording) return false;
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad()) return true;
        }
        return false;
    }

    /** Wraps an op's output values; counted as live activation memory while the tape holds it. */
    public Tensor output(float[] data, boolean requiresGrad, int... shape) {
        Tensor t = Tensor.result(data, requiresGrad, shape);
        if (requiresGrad) {
            liveBytes += 4L * data.length;
            peakBytes = Math.max(peakBytes, liveBytes);
        }
        return t;
    }

    /** Counts extra saved state of an op (e.g. attention's log-sum-exp rows) as live activation memory. */
    public void saved(long floats) {
        if (!recording) return;
        liveBytes += 4L * floats;
        peakBytes = Math.max(peakBytes, liveBytes);
    }

    /**
     * Accounts for a nested tape (a recomputed block) whose activations peaked at {@code innerPeakBytes} while this
     * tape's own were alive.
     */
    public void nested(long innerPeakBytes) {
        peakBytes = Math.max(peakBytes, liveBytes + innerPeakBytes);
    }

    /** Records the backward of the op that produced {@code output}. */
    public void record(Tensor output, Backward backward) {
        if (!recording) throw new IllegalStateException("a no-grad tape records nothing");
        if (!output.requiresGrad()) throw new IllegalArgumentException("recorded output must require a gradient: " + output);
        entries.add(new Entry(output, backward, liveBytes));
    }

    /** Keeps the gradient of an intermediate tensor after backward (normally it is dropped once used). */
    public void retainGrad(Tensor t) {
        retained.add(t);
    }

    /** Backpropagates from a scalar loss (seed 1). */
    public void backward(Tensor loss) {
        if (loss.size() != 1) throw new IllegalArgumentException("backward(loss) needs a scalar, got " + loss);
        backward(loss, new float[] {1f});
    }

    /**
     * Backpropagates {@code seed} (the gradient of some objective with respect to {@code output}) through every
     * recorded op, newest first. Each entry is dropped once run, so saved activations become garbage as it goes.
     *
     * @param seed [output.size()]
     */
    public void backward(Tensor output, float[] seed) {
        if (!output.requiresGrad()) throw new IllegalArgumentException("nothing to differentiate: " + output + " needs no gradient");
        if (seed.length != output.size()) {
            throw new IllegalArgumentException("seed has " + seed.length + " values for " + output);
        }
        float[] g = output.grad();
        for (int i = 0; i < g.length; i++) g[i] += seed[i];
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry e = entries.get(i);
            entries.set(i, null);
            liveBytes = e.liveBytes();
            if (e.output().hasGrad()) e.backward().run();
            if (!retained.contains(e.output())) e.output().releaseGrad();
        }
        entries.clear();
        liveBytes = 0;
    }

    /** Number of recorded ops not yet run backward. */
    public int size() { return entries.size(); }

    /** Bytes of recorded op outputs and saved state, at their highest since the tape was created. */
    public long peakActivationBytes() { return peakBytes; }
}
