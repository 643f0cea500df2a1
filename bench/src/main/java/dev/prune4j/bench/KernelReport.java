package dev.prune4j.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the kernel benchmarks on 1 and 2 threads and prints one markdown table: GEMM GFLOP/s as a fraction of the
 * FMA peak measured in the same run, GEMV and read bandwidth in GB/s. Arguments are JMH's own
 * (e.g. {@code -f 1 -wi 3 -i 5 -w 1s -r 1s}).
 */
public final class KernelReport {
    private KernelReport() {}

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions cli = new CommandLineOptions(args);
        int[] threadCounts = {1, 2};
        Map<Integer, Double> peak = new LinkedHashMap<>();
        List<String> rows = new ArrayList<>();
        for (int t : threadCounts) {
            peak.put(t, run(cli, FmaPeakBench.class, t, t).iterator().next().getPrimaryResult().getScore()
                    * FmaPeakBench.flopsPerCall() / 1e9);
        }
        for (int t : threadCounts) {
            for (RunResult r : run(cli, GemmBench.class, t, 1)) {
                String shape = r.getParams().getParam("shape");
                double ms = r.getPrimaryResult().getScore();
                double gflops = GemmBench.Shape.parse(shape).flops() / (ms * 1e6);
                rows.add(row("GEMM " + shape.replace(":", " "), t, ms, String.format(Locale.ROOT, "%.1f GFLOP/s", gflops),
                        String.format(Locale.ROOT, "%.0f %%", 100 * gflops / peak.get(t))));
            }
        }
        for (int t : threadCounts) {
            for (RunResult r : run(cli, GemvBench.class, t, 1)) {
                String shape = r.getParams().getParam("shape");
                String[] d = shape.split("x");
                double us = r.getPrimaryResult().getScore();
                double gbs = 4.0 * Long.parseLong(d[0]) * Long.parseLong(d[1]) / (us * 1e3);
                rows.add(row("GEMV " + shape, t, us / 1e3, String.format(Locale.ROOT, "%.1f GB/s", gbs), ""));
            }
            for (RunResult r : run(cli, BandwidthBench.class, t, 1)) {
                double ms = r.getPrimaryResult().getScore();
                rows.add(row("read 1 GiB float[]", t, ms, String.format(Locale.ROOT, "%.1f GB/s",
                        BandwidthBench.bytes() / (ms * 1e6)), ""));
            }
        }
        System.out.println();
        for (int t : threadCounts) {
            System.out.printf(Locale.ROOT, "FMA peak (FloatVector.fma, 10 chains/thread), %d thread(s): %.1f GFLOP/s%n",
                    t, peak.get(t));
        }
        System.out.println();
        System.out.println("| kernel | threads | time (ms) | rate | of FMA peak |");
        System.out.println("|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static String row(String kernel, int threads, double ms, String rate, String ofPeak) {
        return String.format(Locale.ROOT, "| %s | %d | %.3f | %s | %s |", kernel, threads, ms, rate, ofPeak);
    }

    /** One JMH run of {@code bench} with {@code prune4j.threads} and JMH worker threads set. */
    private static Collection<RunResult> run(CommandLineOptions cli, Class<?> bench, int pruneThreads, int jmhThreads)
            throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder().parent(cli)
                .include(bench.getName() + "\\.")
                .threads(jmhThreads)
                .jvmArgsAppend("--add-modules=jdk.incubator.vector", "-Xmx3g", "-Dprune4j.threads=" + pruneThreads);
        return new Runner(options.build()).run();
    }
}
