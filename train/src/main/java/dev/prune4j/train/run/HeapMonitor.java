package dev.prune4j.train.run;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The largest heap in use right after any garbage collection while it runs: a measure of the live set (weights,
 * optimizer state, saved activations) that, unlike the heap's peak, does not count garbage waiting to be collected.
 * Collections happen often enough in a training step for this to see its peak, the more so with a tight {@code -Xmx}.
 */
public final class HeapMonitor implements AutoCloseable {
    private final AtomicLong maxAfterGc = new AtomicLong();
    private final NotificationListener listener = this::onGc;

    public HeapMonitor() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter e) e.addNotificationListener(listener, null, null);
        }
    }

    private void onGc(Notification n, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        long used = 0;
        for (MemoryUsage u : info.getGcInfo().getMemoryUsageAfterGc().values()) used += u.getUsed();
        maxAfterGc.accumulateAndGet(used, Math::max);
    }

    /** Bytes in use after the fullest collection seen so far (0 before the first). */
    public long maxLiveBytes() { return maxAfterGc.get(); }

    @Override
    public void close() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter e) {
                try {
                    e.removeNotificationListener(listener);
                } catch (javax.management.ListenerNotFoundException ignored) {
                    // never added to this collector
                }
            }
        }
    }
}
