package dev.prune4j.prune.pipeline;

import dev.prune4j.model.forward.CapturePoint;
import dev.prune4j.model.forward.ForwardHooks;
import dev.prune4j.model.forward.KvCache;
import dev.prune4j.model.forward.Transformer;
import dev.prune4j.model.weights.Linear;
import dev.prune4j.prune.calib.InputStatistics;
import dev.prune4j.prune.calib.StatisticsHooks;
import dev.prune4j.prune.method.LinearPruner;
import dev.prune4j.prune.method.PruneResult;
import dev.prune4j.prune.method.SparsityTarget;
import dev.prune4j.tensor.kernels.MatMul;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Layer-wise pruning in the order the SparseGPT and llm-compressor pipelines use: the calibration sequences are
 * embedded once; then for each block, (1) a dense pass collects the input statistics of its linears (linears that
 * share an input share them), (2) every target linear is pruned, (3) a second pass with the pruned weights produces
 * the next block's inputs and measures each linear's output error. Only the residual streams of the calibration set
 * and one block's statistics are resident.
 */
public final class SequentialPruner {
    private final Transformer transformer;
    private final List<TargetLinear> targets;
    private final LinearPruner method;
    private final SparsityPlan plan;
    private final PipelineListener listener;

    public SequentialPruner(Transformer transformer, List<TargetLinear> targets, LinearPruner method, SparsityPlan plan,
                            PipelineListener listener) {
        this.transformer = transformer;
        this.targets = List.copyOf(targets);
        this.method = method;
        this.plan = plan;
        this.listener = listener;
        for (TargetLinear t : targets) {
            plan.target(t.layer()).validate(t.linear().in(), t.name());
        }
    }

    /** Prunes every target in place and returns one record per pruned linear, in pipeline order. */
    public List<LinearRecord> run(int[][] samples) {
        int layers = transformer.config().blockCount();
        float[][] hidden = CalibrationStreams.embed(transformer, samples);
        List<LinearRecord> records = new ArrayList<>();
        listener.phaseStarted("prune", layers);
        KvCache cache = transformer.newCache(CalibrationStreams.longest(samples));
        for (int layer = 0; layer < layers; layer++) {
            long t0 = System.nanoTime();
            final int current = layer;
            List<TargetLinear> here = targets.stream().filter(t -> t.layer() == current).toList();
            if (!here.isEmpty()) {
                Map<CapturePoint, InputStatistics> stats = collect(layer, here, hidden, samples, cache);
                Map<TargetLinear, float[]> dense = new java.util.LinkedHashMap<>();
                List<PruneOutcome> outcomes = new ArrayList<>();
                for (TargetLinear t : here) {
                    dense.put(t, t.linear().weight().clone());
                    long s0 = System.nanoTime();
                    SparsityTarget target = plan.target(layer);
                    PruneResult r = method.prune(t.linear().weight(), t.linear().out(), t.linear().in(),
                            stats.get(t.point()), target);
                    outcomes.add(new PruneOutcome(t, target, r, (System.nanoTime() - s0) / 1e9));
                    if (r.fallback() != null) listener.warning(t.name() + ": fell back to magnitude pruning: " + r.fallback());
                }
                stats.clear();
                ErrorMeter meter = new ErrorMeter(layer, dense);
                propagate(layer, hidden, samples, cache, meter);
                for (PruneOutcome o : outcomes) {
                    Linear l = o.target.linear();
                    LinearRecord rec = new LinearRecord(o.target.name(), layer, o.target.role().name(), l.out(), l.in(),
                            o.sparsity.toString(), o.result.zeros(), (double) o.result.zeros() / ((long) l.out() * l.in()),
                            meter.relativeError(o.target), o.result.damping(), o.result.fallback(), o.result.solverLoss(),
                            o.seconds);
                    records.add(rec);
                    listener.linearPruned(rec);
                }
            } else {
                propagate(layer, hidden, samples, cache, ForwardHooks.NONE);
            }
            listener.layerFinished("prune", layer, (System.nanoTime() - t0) / 1e9);
        }
        return records;
    }

    private record PruneOutcome(TargetLinear target, SparsityTarget sparsity, PruneResult result, double seconds) {}

    /** The dense pass of one block: input statistics of every capture point that feeds a target. */
    private Map<CapturePoint, InputStatistics> collect(int layer, List<TargetLinear> here, float[][] hidden,
                                                       int[][] samples, KvCache cache) {
        Map<CapturePoint, InputStatistics> stats = new EnumMap<>(CapturePoint.class);
        if (method.needs() == LinearPruner.StatisticsNeed.NONE) return stats;
        for (TargetLinear t : here) {
            stats.computeIfAbsent(t.point(), p -> method.needs() == LinearPruner.StatisticsNeed.FULL
                    ? InputStatistics.full(t.linear().in()) : InputStatistics.diagonal(t.linear().in()));
        }
        ForwardHooks hooks = new StatisticsHooks(stats);
        for (int s = 0; s < samples.length; s++) {
            float[] x = hidden[s].clone();
            cache.clear();
            transformer.block(layer, x, samples[s].length, 0, cache, hooks);
        }
        stats.values().forEach(InputStatistics::finish);
        return stats;
    }

    /** Runs the (pruned) block on every stream in place. */
    private void propagate(int layer, float[][] hidden, int[][] samples, KvCache cache, ForwardHooks hooks) {
        for (int s = 0; s < samples.length; s++) {
            cache.clear();
            transformer.block(layer, hidden[s], samples[s].length, 0, cache, hooks);
        }
    }

    /** Measures {@code ‖X(W−Ŵ)ᵀ‖²} and {@code ‖XWᵀ‖²} of each pruned linear on the inputs it actually sees. */
    private static final class ErrorMeter implements ForwardHooks {
        private final int layer;
        private final Map<TargetLinear, float[]> dense;
        private final Map<TargetLinear, float[]> difference = new java.util.HashMap<>();
        private final Map<TargetLinear, double[]> sums = new java.util.HashMap<>(); // {error, signal}

        ErrorMeter(int layer, Map<TargetLinear, float[]> dense) {
            this.layer = layer;
            this.dense = dense;
            for (Map.Entry<TargetLinear, float[]> e : dense.entrySet()) {
                float[] w = e.getKey().linear().weight();
                float[] d = e.getValue().clone();
                for (int i = 0; i < d.length; i++) d[i] -= w[i];
                difference.put(e.getKey(), d);
                sums.put(e.getKey(), new double[2]);
            }
        }

        @Override
        public void linearInput(int l, CapturePoint point, float[] x, int rows, int cols) {
            for (TargetLinear t : dense.keySet()) {
                if (t.point() != point || l != layer) continue;
                int out = t.linear().out();
                float[] y = new float[rows * out];
                double[] s = sums.get(t);
                MatMul.xwT(x, rows, cols, difference.get(t), out, y);
                for (float v : y) s[0] += (double) v * v;
                MatMul.xwT(x, rows, cols, dense.get(t), out, y);
                for (float v : y) s[1] += (double) v * v;
            }
        }

        double relativeError(TargetLinear t) {
            double[] s = sums.get(t);
            return s[1] > 0 ? s[0] / s[1] : 0;
        }
    }
}
