package dev.prune4j.bench;

import dev.prune4j.tensor.Parallel;
import dev.prune4j.tensor.kernels.Gemm;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Time of one packed SGEMM; GFLOP/s = 2·m·n·k / time ({@link KernelReport} converts). Shapes are
 * {@code OP:m×n×k}: NT is the linear layer x·wᵀ (SmolLM2-135M q/o, up/gate, down projections over 512 tokens, then
 * square ones), TN the Hessian XᵀX of 4096 tokens of width 576. Threads: {@code -Dprune4j.threads}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class GemmBench {
    @Param({"NT:512x576x576", "NT:512x1536x576", "NT:512x576x1536", "NT:1024x1024x1024", "NT:2048x2048x2048",
            "TN:576x576x4096"})
    public String shape;

    private Shape s;
    private float[] a, b, c;

    @Setup
    public void setup() {
        s = Shape.parse(shape);
        Random rnd = new Random(0);
        a = random(rnd, s.m() * s.k());
        b = random(rnd, s.n() * s.k());
        c = new float[s.m() * s.n()];
        System.out.println("# prune4j threads: " + Parallel.threads());
    }

    @Benchmark
    public float[] gemm() {
        Gemm.gemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), a, 0, s.transA() ? s.m() : s.k(), b, 0,
                s.transB() ? s.k() : s.n(), c, 0, s.n(), false);
        return c;
    }

    static float[] random(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = rnd.nextFloat() - 0.5f;
        return x;
    }

    /** {@code OP:m×n×k} as in the @Param strings, with OP one of NN, NT, TN, TT. */
    record Shape(boolean transA, boolean transB, int m, int n, int k) {
        static Shape parse(String text) {
            String[] opAndDims = text.split(":");
            String[] d = opAndDims[1].split("x");
            String op = opAndDims[0];
            return new Shape(op.charAt(0) == 'T', op.charAt(1) == 'T', Integer.parseInt(d[0]), Integer.parseInt(d[1]),
                    Integer.parseInt(d[2]));
        }

        double flops() {
            return 2.0 * m * n * k;
        }
    }
}
