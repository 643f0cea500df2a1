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
 * {@code L = Σ R ⊙ out} with a fixed random R (summed in double), so every output value takes part; the analytic
 * gradients from {@link Tape#backward(Tensor, float[])} are compared with central differences of fourth order,
 * {@code (−L(x+2h) + 8L(x+h) − 8L(x−h) + L(x−2h)) / 12h}, along a random ±1 direction over each whole input and on
 * single coordinates (those with the largest gradients plus random ones). The step h is a power of two, so that
 * {@code x ± h} is exact in fp32 for the usual magnitudes, and the fourth-order stencil lets it be large enough that
 * fp32 rounding in the forward stays far below the tolerance.
 */
public final class GradientCheck {
    /**
     * @param step          finite-difference step (rounded down to a power of two)
     * @param tolerance     maximum relative error {@code |a − n| / max(|a|, |n|, floor)}
     * @param relativeFloor the floor as a fraction of the input's largest |gradient|: a coordinate whose gradient is
     *                      a thousandth of its neighbours' is judged on the scale of the neighbours, since fp32
     *                      rounding in the forward limits the absolute accuracy of every finite difference alike
     * @param coordinates   single coordinates checked per input (half the largest gradients, half random)
     */
    public record Options(double step, double tolerance, double relativeFloor, int coordinates, long seed) {
        public static final Options DEFAULT = new Options(1.0 / 64, 2e-3, 0.05, 8, 1);
        private static final double ABSOLUTE_FLOOR = 1e-9;

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

    private GradientCheck() {}

    /**
     * @param graph  builds the output from {@code inputs} on the given tape (called once with a recording tape, then
     *               many times with a no-grad tape); must be deterministic
     * @param inputs tensors to check; each must require a gradient
     */
    public static Result check(Function<Tape, Tensor> graph, List<Tensor> inputs, Options o) {
        for (Tensor t : inputs) {
            if (!t.requiresGrad()) throw new IllegalArgumentException("gradient check input " + t + " does not require a gradient");
        }
        Rng rng = new Rng(o.seed());
        int outSize = graph.apply(Tape.noGrad()).size();
        float[] weights = new float[outSize];
        for (int i = 0; i < outSize; i++) weights[i] = (float) rng.nextGaussian();

        for (Tensor t : inputs) t.zeroGrad();
        Tape tape = new Tape();
        Tensor out = graph.apply(tape);
        tape.backward(out, weights);
        List<float[]> analytic = new ArrayList<>();
        for (Tensor t : inputs) analytic.add(t.hasGrad() ? t.grad().clone() : new float[t.size()]);

        double h = Math.scalb(1.0, Math.getExponent(o.step()));
        List<Comparison> all = new ArrayList<>();
        for (int k = 0; k < inputs.size(); k++) {
            Tensor t = inputs.get(k);
            float[] g = analytic.get(k);
            String name = t.name() + "#" + k;
            float[] dir = new float[t.size()];
            for (int i = 0; i < dir.length; i++) dir[i] = (rng.nextLong() & 1) == 0 ? 1f : -1f;
            double a = 0;
            for (int i = 0; i < dir.length; i++) a += (double) g[i] * dir[i];
            double n = derivative(graph, weights, t, dir, h);
            all.add(compare(name + " direction", a, n, Options.ABSOLUTE_FLOOR));
            double floor = Math.max(Options.ABSOLUTE_FLOOR, o.relativeFloor() * maxAbs(g));
            for (int i : coordinates(g, o.coordinates(), rng)) {
                float[] e = new float[t.size()];
                e[i] = 1f;
                all.add(compare(name + "[" + i + "]", g[i], derivative(graph, weights, t, e, h), floor));
            }
        }
        List<Comparison> failures = all.stream().filter(c -> !(c.relativeError() <= o.tolerance())).toList();
        return new Result(all, failures);
    }

    private static Comparison compare(String what, double a, double n, double floor) {
        double err = Math.abs(a - n) / Math.max(Math.max(Math.abs(a), Math.abs(n)), floor);
        return new Comparison(what, a, n, err);
    }

    private static double maxAbs(float[] g) {
        double m = 0;
        for (float v : g) m = Math.max(m, Math.abs(v));
        return m;
    }

    /** Fourth-order central difference of L along {@code dir} (values of t restored afterwards). */
    private static double derivative(Function<Tape, Tensor> graph, float[] weights, Tensor t, float[] dir, double h) {
        float[] x = t.data();
        float[] saved = x.clone();
        double[] l = new double[4];
        double[] offsets = {2, 1, -1, -2};
        try {
            for (int s = 0; s < 4; s++) {
                for (int i = 0; i < x.length; i++) x[i] = (float) (saved[i] + offsets[s] * h * dir[i]);
                l[s] = objective(graph.apply(Tape.noGrad()), weights);
            }
        } finally {
            System.arraycopy(saved, 0, x, 0, x.length);
        }
        return (-l[0] + 8 * l[1] - 8 * l[2] + l[3]) / (12 * h);
    }

    private static double objective(Tensor out, float[] weights) {
        float[] y = out.data();
        double s = 0;
        for (int i = 0; i < y.length; i++) s += (double) weights[i] * y[i];
        return s;
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
