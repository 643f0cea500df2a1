package dev.prune4j.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The fp32 FMA peak the JIT can reach: ten independent {@code FloatVector.fma} chains per JMH thread (enough to
 * cover FMA latency × pipes on current x86 cores). Each call does {@value #STEPS} steps of 10 FMAs; GFLOP/s =
 * calls/s × 20·lanes·STEPS. Run with {@code -t 1} and {@code -t 2}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class FmaPeakBench {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int STEPS = 1 << 16;

    /** x ← x·m + a converges to a/(1−m) = 1, so no chain overflows or goes subnormal. */
    private final float m = 0.9999f, a = 1e-4f;

    @Benchmark
    public float fma() {
        FloatVector mv = FloatVector.broadcast(F, m), av = FloatVector.broadcast(F, a);
        FloatVector x0 = FloatVector.broadcast(F, 0.1f), x1 = FloatVector.broadcast(F, 0.2f);
        FloatVector x2 = FloatVector.broadcast(F, 0.3f), x3 = FloatVector.broadcast(F, 0.4f);
        FloatVector x4 = FloatVector.broadcast(F, 0.5f), x5 = FloatVector.broadcast(F, 0.6f);
        FloatVector x6 = FloatVector.broadcast(F, 0.7f), x7 = FloatVector.broadcast(F, 0.8f);
        FloatVector x8 = FloatVector.broadcast(F, 0.9f), x9 = FloatVector.broadcast(F, 1.1f);
        for (int i = 0; i < STEPS; i++) {
            x0 = x0.fma(mv, av);
            x1 = x1.fma(mv, av);
            x2 = x2.fma(mv, av);
            x3 = x3.fma(mv, av);
            x4 = x4.fma(mv, av);
            x5 = x5.fma(mv, av);
            x6 = x6.fma(mv, av);
            x7 = x7.fma(mv, av);
            x8 = x8.fma(mv, av);
            x9 = x9.fma(mv, av);
        }
        return x0.add(x1).add(x2).add(x3).add(x4).add(x5).add(x6).add(x7).add(x8).add(x9)
                .reduceLanes(VectorOperators.ADD);
    }

    /** Floating-point operations of one {@link #fma()} call. */
    static double flopsPerCall() {
        return 2.0 * 10 * F.length() * STEPS;
    }
}
