package dev.perfkit.dashboard;

import dev.perfkit.IntervalReader;
import dev.perfkit.PerfRegistry;
import dev.perfkit.TimerSnapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Latency over time for the dashboard: at each sample, one interval snapshot per timer (its own
 * {@link IntervalReader}), kept as the last {@code capacity} points {@code [epochMillis, count, p50, p99, max]}.
 * JVM figures are sampled alongside. Thread-safe; memory bounded by timers x capacity.
 */
final class MetricsHistory {

    private final IntervalReader reader;
    private final int capacity;
    private final Map<String, Deque<long[]>> byTimer = new LinkedHashMap<>();
    private final Deque<double[]> jvm = new ArrayDeque<>();

    MetricsHistory(PerfRegistry registry, int capacity) {
        this.reader = registry.newIntervalReader();
        this.capacity = capacity;
    }

    void sample() {
        long now = System.currentTimeMillis();
        List<TimerSnapshot> intervals = reader.read();
        JvmStats.Sample sample = JvmStats.sample();
        synchronized (this) {
            for (TimerSnapshot s : intervals) {
                Deque<long[]> points = byTimer.computeIfAbsent(s.name(), n -> new ArrayDeque<>());
                points.addLast(new long[] {now, s.count(), s.p50(), s.p99(), s.max()});
                if (points.size() > capacity) {
                    points.removeFirst();
                }
            }
            jvm.addLast(new double[] {now, sample.heapUsedBytes(), sample.processCpuLoad()});
            if (jvm.size() > capacity) {
                jvm.removeFirst();
            }
        }
    }

    synchronized Map<String, Object> toJson() {
        Map<String, Object> timers = new LinkedHashMap<>();
        byTimer.forEach((name, points) -> timers.put(name, new ArrayList<>(points)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("columns", List.of("epochMillis", "count", "p50", "p99", "max"));
        out.put("timers", timers);
        out.put("jvm", new ArrayList<>(jvm));
        return out;
    }
}
