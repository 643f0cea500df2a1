package dev.prune4j.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.stream.IntStream;

/**
 * The one thread pool of prune4j, sized to the cores (or {@code -Dprune4j.threads=N}).
 * Work is split into contiguous ranges so that each thread touches its own rows.
 */
public final class Parallel {
    private static final int THREADS = Integer.getInteger("prune4j.threads", Runtime.getRuntime().availableProcessors());
    private static final ForkJoinPool POOL = new ForkJoinPool(THREADS);

    private Parallel() {}

    public static int threads() {
        return THREADS;
    }

    /** A range body: handles indices {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} contiguous chunks, each at least
     * {@code minChunk} long; small ranges run on the caller's thread.
     */
    public static void forRange(int n, int minChunk, RangeBody body) {
        int chunks = Math.min(THREADS, Math.max(1, n / Math.max(1, minChunk)));
        if (chunks <= 1 || ForkJoinTask.getPool() == POOL) {
            body.run(0, n);
            return;
        }
        POOL.submit(() -> IntStream.range(0, chunks).parallel().forEach(c -> {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            body.run(from, to);
        })).join();
    }
}
