package dev.perfkit.dashboard;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JVM resources for the dashboard: heap, CPU, GC and threads, from the platform MXBeans. Thread-safe. */
final class JvmStats {

    private JvmStats() {
    }

    record Sample(double heapUsedBytes, double processCpuLoad) {
    }

    static Sample sample() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new Sample(heap.getUsed(), processCpuLoad());
    }

    static Map<String, Object> toJson() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("heapUsedBytes", heap.getUsed());
        out.put("heapCommittedBytes", heap.getCommitted());
        out.put("heapMaxBytes", heap.getMax());
        out.put("processCpuLoad", processCpuLoad());
        out.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        out.put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
        out.put("uptimeMillis", ManagementFactory.getRuntimeMXBean().getUptime());
        List<Map<String, Object>> gcs = new ArrayList<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("name", gc.getName());
            g.put("count", gc.getCollectionCount());
            g.put("timeMillis", gc.getCollectionTime());
            gcs.add(g);
        }
        out.put("gc", gcs);
        return out;
    }

    private static double processCpuLoad() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            double load = sun.getProcessCpuLoad();
            return load < 0 ? Double.NaN : load;
        }
        return Double.NaN;
    }
}
