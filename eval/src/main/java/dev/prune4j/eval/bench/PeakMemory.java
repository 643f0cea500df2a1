package dev.prune4j.eval.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory of the running JVM: the peak of the Java heap in use (summed over the heap pools' peaks, which the JVM
 * tracks between resets; garbage not yet collected counts), the live heap after a full collection (what the loaded
 * model and its caches hold), and the process's peak resident set ({@code VmHWM} in {@code /proc/self/status},
 * Linux only).
 */
public final class PeakMemory {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    /**
     * @param heapBytes      peak of the heap in use since {@link #reset}, garbage included
     * @param liveHeapBytes  heap in use right after a full collection at {@link #read}
     * @param rssBytes       peak resident set since {@link #reset} when the kernel allowed resetting it, else since
     *                       the process started; -1 when unknown
     * @param rssSinceReset  whether {@code rssBytes} was reset
     */
    public record Reading(long heapBytes, long liveHeapBytes, long rssBytes, boolean rssSinceReset) {}

    private boolean rssReset;

    /** Starts a new measurement: collects garbage and resets the heap pools' and, where allowed, the RSS peak. */
    public void reset() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) pool.resetPeakUsage();
        }
        try {
            // "5" resets the peak RSS (VmHWM) to the current RSS (Linux 4.0+, proc(5))
            Files.writeString(CLEAR_REFS, "5");
            rssReset = true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            rssReset = false;
        }
    }

    /** The peaks since {@link #reset}, then a full collection and the live heap; the caller keeps the model reachable. */
    public Reading read() {
        long heap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) heap += pool.getPeakUsage().getUsed();
        }
        long rss = peakRss();
        System.gc();
        long live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new Reading(heap, live, rss, rssReset);
    }

    private static long peakRss() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
