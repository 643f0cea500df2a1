package dev.prune4j.train.autograd;

import dev.prune4j.train.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Finite-difference check of any graph's backward. The graph's output is reduced to the scalar
 * {@code L = Σ R ⊙ out} with a fixed random R (summed in double), so every output value takes part. The analytic
 * gradients from {@link Tape#backward(Tensor, float[])} are compared with fourth-order central differences,
 * {@code (−L(x+2hu) + 8L(x+hu) − 8L(x−hu) + L(x−2hu)) / 12h}, along a random direction u over each whole input and
 * along single coordinates (those with the largest gradients, then random ones).
 *
 * <p>Two sources of L: {@link #check} differentiates the fp32 graph itself, with a power-of-two step so that
 * {@code x ± h·u} is exact and large enough that fp32 rounding stays below the tolerance (enough for single ops);
 * {@link #checkAgainst} differentiates an fp64 reference of the same function with a small step, which is what a
 * deep graph (a whole model) needs, since there one weight's effect on the loss is near fp32's resolution.
 */
public final class GradientCheck {
    /**
     * @param step          finite-difference step (for fp32 graphs rounded down to a power of two)
     * @param tolerance     maximum relative error {@code |a − n| / max(|a|, |n|, floor)}
     * @param relativeFloor the floor as a fraction of the input's largest |gradient|: a coordinate whose gradient is
     *                      a thousandth of its neighbours' is judged on the scale of the neighbours, since rounding
     *                      limits the absolute accuracy of every finite difference alike
     * @param coordinates   single coordinates checked per input (half the largest gradients, half random)
     */
    public record Options(double step, double tolerance, double relativeFloor, int coordinates, long seed) {
        /** For fp32 graphs of a few ops. */
        public static final Options DEFAULT = new Options(1.0 / 64, 2e-3, 0.05, 8, 1);
        /** For {@link #checkAgainst} an fp64 reference: the only error left is the fp32 rounding of the analytic side. */
        public static final Options FP64_REFERENCE = new Options(1e-4, 2e-3, 0.01, 8, 1);
        private static final double ABSOLUTE_FLOOR = 1e-12;

        public Options withStep(double s) { return new Options(s, tolerance, relativeFloor, coordinates, seed); }

        public Options withTolerance(double t) { return new Options(step, t, relativeFloor, coordinates, seed); }

        public Options withCoordinates(int c) { return new Options(step, tolerance, relativeFloor, c, seed); }

        public Options withSeed(long s) { return new Options(step, tolerance, relativeFloor, coordinates, s); }
    }

    /** One comparison: {@code what} names the input and the coordinate (or "direction"). */
    public record Comparison(String what, double analytic, double numeric, double relativeError) {}

    /** All comparisons made, and which of them exceeded the tolerance. */
    public record Result(List<Comparison> comparisons, List<Comparison> failures) {
        public boolean passed() { return failures.isEmpty() && !comparisons.isEmpty(); }

        public double maxRelativeError() {
            return comparisons.stream().mapToDouble(Comparison::relativeError).max().orElse(Double.NaN);
        }

        @Override
        public String toString() {
            return (passed() ? "passed" : "FAILED") + ": " + comparisons.size() + " comparisons, max relative error "
                    + String.format("%.2e", maxRelativeError()) + (failures.isEmpty() ? "" : ", failures " + failures);
        }
    }

    /** An fp64 reference of a graph: its output for inputs given in double, in the order of the checked tensors. */
    @FunctionalInterface
    public interface Reference {
        /** @param inputs one array per checked tensor, same sizes @return the output, same size as the graph's */
        double[] apply(double[][] inputs);
    }

    /** Values of L along a direction of one input: {@code L(x + t·u)}. */
    @FunctionalInterface
    private interface Line {
        double at(int input, double[] u, double t);
    }

    private GradientCheck() {}

    /**
     * Checks against finite differences of the fp32 graph itself.
     *
     * @param graph  builds the output from {@code inputs} on the given tape (called once with a recording tape, then
     *               many times with a no-grad tape); must be deterministic
     * @param inputs tensors to check; each must require a gradient
     */
    public static Result check(Function<Tape, Tensor> graph, List<Tensor> inputs, Options o) {
        double h = Math.scalb(1.0, Math.getExponent(o.step()));
        return run(graph, inputs, o, h, true, (weights) -> (input, u, t) -> {
            float[] x = inputs.get(input).data();
            float[] saved = x.clone();
            try {
                for (int i = 0; i < x.length; i++) x[i] = (float) (saved[i] + t * u[i]);
                return objective(graph.apply(Tape.noGrad()).data(), weights);
            } finally {
                System.arraycopy(saved, 0, x, 0, x.length);
            }
        });
    }

    /** Checks the fp32 graph's gradients against finite differences of an fp64 reference of the same function. */
    public static Result checkAgainst(Function<Tape, Tensor> graph, List<Tensor> inputs, Reference reference, Options o) {
        return run(graph, inputs, o, o.step(), false, (weights) -> (input, u, t) -> {
            double[][] x = new double[inputs.size()][];
            for (int k = 0; k < x.length; k++) {
                float[] d = inputs.get(k).data();
                x[k] = new double[d.length];
                for (int i = 0; i < d.length; i++) x[k][i] = d[i] + (k == input ? t * u[i] : 0);
            }
            double[] y = reference.apply(x);
            double s = 0;
            for (int i = 0; i < y.length; i++) s += weights[i] * y[i];
            return s;
        });
    }

    private static Result run(Function<Tape, Tensor> graph, List<Tensor> inputs, Options o, double h, boolean powerOfTwoDirection,
                              Function<float[], Line> lineFor) {
        for (Tensor t : inputs) {
            if (!t.requiresGrad()) throw new IllegalArgumentException("gradient check input " + t + " does not require a gradient");
        }
        Rng rng = new Rng(o.seed());
        int outSize = graph.apply(Tape.noGrad()).size();
        float[] weights = new float[outSize];
        for (int i = 0; i < outSize; i++) weights[i] = (float) rng.nextGaussian();

        for (Tensor t : inputs) t.zeroGrad();
        Tape tape = new Tape();
        tape.backward(graph.apply(tape), weights);
        List<float[]> analytic = new ArrayList<>();
        for (Tensor t : inputs) analytic.add(t.hasGrad() ? t.grad().clone() : new float[t.size()]);
        Line line = lineFor.apply(weights);

        List<Comparison> all = new ArrayList<>();
        for (int k = 0; k < inputs.size(); k++) {
            float[] g = analytic.get(k);
            String name = inputs.get(k).name() + "#" + k;
            double[] u = direction(g.length, rng, powerOfTwoDirection);
            all.add(compare(name + " direction", dot(g, u), derivative(line, k, u, h), Options.ABSOLUTE_FLOOR));
            double floor = Math.max(Options.ABSOLUTE_FLOOR, o.relativeFloor() * maxAbs(g));
            for (int i : coordinates(g, o.coordinates(), rng)) {
                double[] e = new double[g.length];
                e[i] = 1;
                all.add(compare(name + "[" + i + "]", g[i], derivative(line, k, e, h), floor));
            }
        }
        List<Comparison> failures = all.stream().filter(c -> !(c.relativeError() <= o.tolerance())).toList();
        return new Result(all, failures);
    }

    /**
     * A random direction of unit length: random signs times 2^-k ≈ 1/√n for fp32 graphs (so each step stays a power
     * of two), Gaussian otherwise.
     */
    private static double[] direction(int n, Rng rng, boolean powerOfTwo) {
        double[] u = new double[n];
        if (powerOfTwo) {
            double s = Math.scalb(1.0, -Math.max(0, (int) Math.round(Math.log(n) / Math.log(4))));
            for (int i = 0; i < n; i++) u[i] = (rng.nextLong() & 1) == 0 ? s : -s;
        } else {
            double norm = 0;
            for (int i = 0; i < n; i++) norm += (u[i] = rng.nextGaussian()) * u[i];
            for (int i = 0; i < n; i++) u[i] /= Math.sqrt(norm);
        }
        return u;
    }

    private static double derivative(Line line, int input, double[] u, double h) {
        return (-line.at(input, u, 2 * h) + 8 * line.at(input, u, h) - 8 * line.at(input, u, -h) + line.at(input, u, -2 * h)) / (12 * h);
    }

    private static Comparison compare(String what, double a, double n, double floor) {
        double err = Math.abs(a - n) / Math.max(Math.max(Math.abs(a), Math.abs(n)), floor);
        return new Comparison(what, a, n, err);
    }

    private static double objective(float[] y, float[] weights) {
        double s = 0;
        for (int i = 0; i < y.length; i++) s += (double) weights[i] * y[i];
        return s;
    }

    private static double dot(float[] g, double[] u) {
        double s = 0;
        for (int i = 0; i < g.length; i++) s += g[i] * u[i];
        return s;
    }

    private static double maxAbs(float[] g) {
        double m = 0;
        for (float v : g) m = Math.max(m, Math.abs(v));
        return m;
    }

    /** Up to {@code count} distinct coordinates: the largest |g| first, then random ones. */
    private static int[] coordinates(float[] g, int count, Rng rng) {
        int n = Math.min(count, g.length);
        Integer[] order = IntStream.range(0, g.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -Math.abs(g[i])));
        int[] picked = new int[n];
        boolean[] used = new boolean[g.length];
        int k = 0;
        for (; k < (n + 1) / 2; k++) {
            picked[k] = order[k];
            used[order[k]] = true;
        }
        while (k < n) {
            int i = rng.nextInt(g.length);
            if (used[i]) continue;
            used[i] = true;
            picked[k++] = i;
        }
        return picked;
    }
}
