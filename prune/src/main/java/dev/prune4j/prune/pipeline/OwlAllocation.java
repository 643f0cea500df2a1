package dev.prune4j.prune.pipeline;

import dev.prune4j.model.forward.CapturePoint;
import dev.prune4j.model.forward.ForwardHooks;
import dev.prune4j.model.forward.KvCache;
import dev.prune4j.model.forward.Transformer;
import dev.prune4j.prune.calib.InputStatistics;
import dev.prune4j.prune.calib.StatisticsHooks;
import dev.prune4j.prune.method.SparsityTarget;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * OWL (Yin et al., 2024): layers with more outliers keep more weights. A dense pass measures each block's outlier
 * ratio, the share of Wanda scores {@code |W_ij|·‖x_j‖} over all its target linears that exceed {@code M} times their
 * mean; ratios are rescaled to {@code [0, 2λ]} and centred so that the mean density stays {@code 1 − S}.
 */
public final class OwlAllocation {
    /** The allocation and what it came from, for the report. */
    public record Result(double[] outlierRatio, double[] sparsity) {}

    private OwlAllocation() {}

    public static Result compute(Transformer transformer, List<TargetLinear> targets, int[][] samples, double m,
                                 double lambda, double sparsity, PipelineListener listener) {
        int layers = transformer.config().blockCount();
        float[][] hidden = CalibrationStreams.embed(transformer, samples);
        KvCache cache = transformer.newCache(CalibrationStreams.longest(samples));
        double[] ratio = new double[layers];
        listener.phaseStarted("owl", layers);
        for (int layer = 0; layer < layers; layer++) {
            long t0 = System.nanoTime();
            final int current = layer;
            List<TargetLinear> here = targets.stream().filter(t -> t.layer() == current).toList();
            Map<CapturePoint, InputStatistics> stats = new EnumMap<>(CapturePoint.class);
            for (TargetLinear t : here) stats.computeIfAbsent(t.point(), p -> InputStatistics.diagonal(t.linear().in()));
            ForwardHooks hooks = new StatisticsHooks(stats);
            for (int s = 0; s < samples.length; s++) {
                cache.clear();
                transformer.block(layer, hidden[s], samples[s].length, 0, cache, hooks);
            }
            ratio[layer] = outlierRatio(here, stats, m);
            listener.layerFinished("owl", layer, (System.nanoTime() - t0) / 1e9);
        }
        return new Result(ratio, allocate(ratio, lambda, sparsity));
    }

    /** The share of scores above {@code m}·mean over all of a block's target linears together. */
    static double outlierRatio(List<TargetLinear> linears, Map<CapturePoint, InputStatistics> stats, double m) {
        if (linears.isEmpty()) return 0;
        List<float[]> scores = new ArrayList<>();
        double sum = 0;
        long count = 0;
        for (TargetLinear t : linears) {
            double[] ms = stats.get(t.point()).meanSquares();
            float[] w = t.linear().weight();
            int in = t.linear().in();
            float[] score = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                score[i] = (float) (Math.abs(w[i]) * Math.sqrt(ms[i % in]));
                sum += score[i];
            }
            count += w.length;
            scores.add(score);
        }
        double threshold = m * sum / count;
        long above = 0;
        for (float[] s : scores) for (float v : s) if (v > threshold) above++;
        return (double) above / count;
    }

    /** OWL's rule: density {@code (1 − S) + 2λ·(r − min)/(max − min) − mean}; equal ratios give uniform sparsity. */
    static double[] allocate(double[] ratio, double lambda, double sparsity) {
        int n = ratio.length;
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (double r : ratio) {
            min = Math.min(min, r);
            max = Math.max(max, r);
        }
        double[] scaled = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            scaled[i] = max > min ? (ratio[i] - min) / (max - min) * 2 * lambda : 0;
            mean += scaled[i] / n;
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 1 - (scaled[i] - mean + (1 - sparsity));
            out[i] = Math.max(0, Math.min(s, 0.999));
        }
        return out;
    }

    public static SparsityPlan plan(Result result) {
        List<SparsityTarget> targets = new ArrayList<>();
        for (double s : result.sparsity()) targets.add(new SparsityTarget.Unstructured(s));
        return new SparsityPlan(targets);
    }
}
