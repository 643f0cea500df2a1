package dev.prune4j.bench;

import dev.prune4j.prune.calib.InputStatistics;
import dev.prune4j.prune.method.PruneResult;
import dev.prune4j.prune.method.SparseGptPruner;
import dev.prune4j.prune.method.SparsityTarget;
import dev.prune4j.tensor.Parallel;
import dev.prune4j.tensor.kernels.Gemm;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One SparseGPT solve of a SmolLM2-135M linear, the counterpart of {@code tools/reference/sparsegpt_timing.py}: the
 * same shapes, the same kind of correlated random inputs (8 shared factors plus noise, 65,536 tokens), block 128,
 * damping 1%. What is timed matches the reference's {@code fasterprune}: damping, dead inputs, the factorisation of
 * {@code H⁻¹} and the column sweep, on a fresh copy of the weights and with no factorisation cached from an earlier
 * call. The second moment is built once per trial, outside the timing, as the reference's {@code add_batch} is.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class SparseGptBench {
    private static final int TOKENS = 65_536;
    private static final int FACTORS = 8;

    /** {@code rows x columns}: q/o, k/v, gate/up, down. */
    @Param({"576x576", "192x576", "1536x576", "576x1536"})
    public String shape;

    /** {@code 0.5} unstructured or {@code 2:4}. */
    @Param({"0.5", "2:4"})
    public String target;

    private int rows;
    private int columns;
    private float[] original;
    private double[] moment;
    private SparsityTarget sparsity;
    private float[] weight;
    private InputStatistics stats;
    private final SparseGptPruner pruner = new SparseGptPruner();

    @Setup(Level.Trial)
    public void buildHessian() {
        String[] dims = shape.split("x");
        rows = Integer.parseInt(dims[0]);
        columns = Integer.parseInt(dims[1]);
        sparsity = target.contains(":") ? SparsityTarget.NofM.parse(target)
                : new SparsityTarget.Unstructured(Double.parseDouble(target));
        Random rnd = new Random(0);
        original = new float[rows * columns];
        for (int i = 0; i < original.length; i++) original[i] = (float) (rnd.nextGaussian() * 0.05);
        moment = correlatedSecondMoment(rnd, columns);
        System.out.println("# prune4j threads: " + Parallel.threads());
    }

    @Setup(Level.Invocation)
    public void freshLayer() {
        weight = original.clone();
        // a new statistics object, so the factorisation shared between q/k/v in a real run is not reused here
        stats = InputStatistics.ofSecondMoment(moment, columns, TOKENS);
    }

    @Benchmark
    public PruneResult prune() {
        return pruner.prune(weight, rows, columns, stats, sparsity);
    }

    /** The running mean of {@code x xᵀ} over {@code x = 0.5·F·z + ε}, sampled as the reference samples it. */
    private static double[] correlatedSecondMoment(Random rnd, int columns) {
        double[] loadings = new double[FACTORS * columns];
        for (int i = 0; i < loadings.length; i++) loadings[i] = rnd.nextGaussian();
        int chunk = 2048;
        float[] batch = new float[chunk * columns]; // [chunk, columns]
        float[] gram = new float[columns * columns];
        double[] sum = new double[columns * columns];
        for (int done = 0; done < TOKENS; done += chunk) {
            for (int t = 0; t < chunk; t++) {
                double[] z = new double[FACTORS];
                for (int f = 0; f < FACTORS; f++) z[f] = 0.5 * rnd.nextGaussian();
                for (int c = 0; c < columns; c++) {
                    double v = rnd.nextGaussian();
                    for (int f = 0; f < FACTORS; f++) v += z[f] * loadings[f * columns + c];
                    batch[t * columns + c] = (float) v;
                }
            }
            // XᵀX of the chunk in fp32, summed in fp64 as InputStatistics does
            Gemm.gemm(true, false, columns, columns, chunk, batch, 0, columns, batch, 0, columns, gram, 0, columns,
                    false);
            for (int i = 0; i < sum.length; i++) sum[i] += gram[i];
        }
        for (int i = 0; i < sum.length; i++) sum[i] /= TOKENS;
        return sum;
    }
}
