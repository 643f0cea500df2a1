package dev.prune4j.bench;

import dev.prune4j.tensor.Parallel;
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
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * DRAM read bandwidth: a vector sum over a 1 GiB {@code float[]} split over {@code -Dprune4j.threads} threads, the
 * ceiling for GEMV and decode. GB/s = 2^30 / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx3g"})
public class BandwidthBench {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int FLOATS = 1 << 28;

    private float[] data;
    private final float[] partial = new float[64];

    @Setup
    public void setup() {
        data = new float[FLOATS];
        java.util.Arrays.fill(data, 1f);
        System.out.println("# prune4j threads: " + Parallel.threads());
    }

    @Benchmark
    public float readSum() {
        int chunks = Parallel.threads();
        Parallel.forRange(chunks, 1, (from, to) -> {
            for (int c = from; c < to; c++) partial[c] = sum((int) ((long) FLOATS * c / chunks),
                    (int) ((long) FLOATS * (c + 1) / chunks));
        });
        float s = 0;
        for (int c = 0; c < chunks; c++) s += partial[c];
        return s;
    }

    /** Four accumulators so the adds are not latency-bound. */
    private float sum(int from, int to) {
        FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
        int l = F.length();
        for (int i = from; i + 4 * l <= to; i += 4 * l) {
            s0 = s0.add(FloatVector.fromArray(F, data, i));
            s1 = s1.add(FloatVector.fromArray(F, data, i + l));
            s2 = s2.add(FloatVector.fromArray(F, data, i + 2 * l));
            s3 = s3.add(FloatVector.fromArray(F, data, i + 3 * l));
        }
        return s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
    }

    static double bytes() {
        return 4.0 * FLOATS;
    }
}
