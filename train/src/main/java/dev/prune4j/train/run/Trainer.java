package dev.prune4j.train.run;

import dev.prune4j.train.Rng;
import dev.prune4j.train.autograd.ElementwiseOps;
import dev.prune4j.train.autograd.Tape;
import dev.prune4j.train.autograd.Tensor;
import dev.prune4j.train.data.Batch;
import dev.prune4j.train.data.BatchSampler;
import dev.prune4j.train.nn.Decoder;
import dev.prune4j.train.nn.ForwardOptions;
import dev.prune4j.train.nn.Taps;
import dev.prune4j.train.optim.AdamW;
import dev.prune4j.train.optim.CosineSchedule;
import dev.prune4j.train.optim.GradientClipping;
import dev.prune4j.train.optim.ParamGroup;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One optimizer step at a time: {@code accumulation} micro-batches forward and backward (each loss scaled by
 * 1/accumulation, so gradients are the mean), clipping of the global gradient norm, the scheduled AdamW update, then
 * the extensions' projections. Everything random (batch order, dropout) comes from seeded state that
 * {@link #state()} captures, so a run restored from a checkpoint continues bit for bit.
 */
public final class Trainer {
    /**
     * @param steps        total optimizer steps (the schedule's length)
     * @param warmupSteps  linear warm-up steps
     * @param minLrFactor  the cosine's floor as a fraction of each group's learning rate
     * @param clipNorm     maximum global gradient norm; 0 = no clipping
     * @param accumulation micro-batches per optimizer step
     * @param recompute    activation recomputation per block
     * @param seed         seed of the dropout masks
     */
    public record Config(int steps, int warmupSteps, double minLrFactor, double clipNorm, int accumulation, boolean recompute,
                         long seed) {
        public Config {
            if (accumulation <= 0) throw new IllegalArgumentException("gradient accumulation must be at least 1, got " + accumulation);
        }
    }

    /**
     * What one step did. {@code tokens} counts input positions run forward and backward (padding included);
     * {@code cpuSeconds} is the process's CPU time in the step (all threads, GC and JIT included), which other
     * programs on the machine do not inflate as they inflate {@code seconds}.
     */
    public record StepResult(int step, double loss, double lr, double gradNorm, long tokens, double seconds, double cpuSeconds,
                             long activationBytes) {}

    /** The trainer's own state besides parameter values and optimizer moments. */
    public record State(int step, long rngState, BatchSampler.Position data, long optimizerSteps) {}

    private final Decoder decoder;
    private final Objective objective;
    private final List<ParamGroup> groups;
    private final List<TrainingExtension> extensions;
    private final BatchSampler data;
    private final Config config;
    private final AdamW optimizer;
    private final CosineSchedule schedule;
    private final Taps taps;
    private final Rng rng;
    private int step;

    public Trainer(Decoder decoder, Objective objective, List<ParamGroup> groups, List<TrainingExtension> extensions,
                   BatchSampler data, Config config) {
        this.decoder = decoder;
        this.objective = objective;
        this.extensions = List.copyOf(extensions);
        List<ParamGroup> all = new ArrayList<>(groups);
        Taps t = Taps.NONE;
        for (TrainingExtension e : extensions) {
            all.addAll(e.parameterGroups());
            t = t.then(e.taps());
        }
        this.groups = List.copyOf(all);
        this.taps = t;
        this.data = data;
        this.config = config;
        this.optimizer = new AdamW(this.groups, AdamW.Betas.DEFAULT);
        this.schedule = new CosineSchedule(config.warmupSteps(), config.steps(), config.minLrFactor());
        this.rng = new Rng(config.seed());
    }

    public Config config() { return config; }

    /** Steps completed. */
    public int completedSteps() { return step; }

    public boolean done() { return step >= config.steps(); }

    /** Every trained tensor, group by group. */
    public List<Tensor> parameters() {
        return groups.stream().flatMap(g -> g.params().stream()).toList();
    }

    /** Runs the next optimizer step. */
    public StepResult step() {
        if (done()) throw new IllegalStateException("all " + config.steps() + " steps are done");
        long t0 = System.nanoTime(), cpu0 = processCpuNanos();
        for (TrainingExtension e : extensions) e.beforeStep(step);
        double loss = 0;
        long tokens = 0, peak = 0;
        for (int micro = 0; micro < config.accumulation(); micro++) {
            Batch b = data.next();
            Tape tape = new Tape();
            ForwardOptions opt = new ForwardOptions(true, config.recompute(), rng.nextLong(), taps);
            Tensor task = objective.loss(tape, decoder, b, opt);
            Tensor total = task;
            for (TrainingExtension e : extensions) {
                Tensor r = e.regularizer(tape, step);
                if (r != null) total = ElementwiseOps.add(tape, total, r);
            }
            tape.backward(ElementwiseOps.scale(tape, total, 1f / config.accumulation()));
            loss += task.item();
            tokens += b.tokens().length;
            peak = Math.max(peak, tape.peakActivationBytes());
        }
        double gradNorm = GradientClipping.clip(parameters(), config.clipNorm());
        double factor = schedule.factor(step);
        optimizer.step(factor);
        optimizer.zeroGrad();
        for (TrainingExtension e : extensions) e.afterUpdate(step);
        double lr = groups.isEmpty() ? 0 : groups.getFirst().lr() * factor;
        StepResult r = new StepResult(step, loss / config.accumulation(), lr, gradNorm, tokens, (System.nanoTime() - t0) / 1e9,
                (processCpuNanos() - cpu0) / 1e9, peak);
        step++;
        return r;
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    public State state() {
        return new State(step, rng.state(), data.position(), optimizer.steps());
    }

    public Map<String, float[]> optimizerState() { return optimizer.state(); }

    /** Puts a checkpoint back: parameter values by name, optimizer moments, step, RNG and data position. */
    public void restore(State s, Map<String, float[]> values, Map<String, float[]> optimizerState) {
        for (Tensor t : parameters()) {
            float[] v = values.get(t.name());
            if (v == null || v.length != t.size()) {
                throw new IllegalArgumentException("checkpoint has no values of the right size for parameter " + t.name());
            }
            System.arraycopy(v, 0, t.data(), 0, v.length);
        }
        optimizer.restore(optimizerState, s.optimizerSteps());
        rng.setState(s.rngState());
        data.seek(s.data());
        step = s.step();
    }
}
