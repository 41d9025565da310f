package dev.perfkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * An independent interval cursor over every timer of a registry: each {@link #read()} returns what was recorded since
 * this reader's previous read. Give each consumer (a log writer, a dashboard, a host's own reporter) its own reader so
 * that they do not steal each other's intervals. The intervals one reader returns add up exactly to the totals.
 *
 * <p>Thread-safe; reads never block writers.
 */
public final class IntervalReader {

    private final PerfRegistry registry;
    private final Map<PerfTimer, PerfTimer.IntervalTracker> trackers = new WeakHashMap<>();

    IntervalReader(PerfRegistry registry) {
        this.registry = registry;
    }

    /** One interval snapshot per timer (sorted by name), including timers created since the previous read. */
    public synchronized List<TimerSnapshot> read() {
        List<PerfTimer> timers = registry.timers();
        List<TimerSnapshot> snapshots = new ArrayList<>(timers.size());
        for (PerfTimer timer : timers) {
            snapshots.add(trackers.computeIfAbsent(timer, PerfTimer.IntervalTracker::new).next());
        }
        return snapshots;
    }
}
