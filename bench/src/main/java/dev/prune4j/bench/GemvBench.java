package dev.prune4j.bench;

import dev.prune4j.tensor.Parallel;
import dev.prune4j.tensor.kernels.Gemv;
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
 * Time of one fp32 GEMV {@code y = W·x}, W {@code n×k}; GB/s = 4·n·k / time. 576×576 and 1536×576 fit in the
 * caches (SmolLM2 q and up projections), 49152×576 (its lm_head, 113 MB) and 4096×4096 (67 MB) come from DRAM.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class GemvBench {
    @Param({"576x576", "1536x576", "49152x576", "4096x4096"})
    public String shape;

    private int n, k;
    private float[] w, x, y;

    @Setup
    public void setup() {
        String[] d = shape.split("x");
        n = Integer.parseInt(d[0]);
        k = Integer.parseInt(d[1]);
        Random rnd = new Random(0);
        w = GemmBench.random(rnd, n * k);
        x = GemmBench.random(rnd, k);
        y = new float[n];
        System.out.println("# prune4j threads: " + Parallel.threads());
    }

    @Benchmark
    public float[] gemv() {
        Gemv.wx(w, n, k, x, y);
        return y;
    }
}
