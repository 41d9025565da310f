package dev.perfkit.internal;

import dev.perfkit.NanoClock;
import dev.perfkit.PerfTimer;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * What a woven method records into, resolved once per join point: its latency timer and, for {@code @Profiled}, its
 * CPU and allocation timers. The aspects call these methods around {@code proceed()}; none of them throws or, in
 * steady state, allocates. Thread-safe.
 */
public final class MethodProbe {

    private final NanoClock clock;
    private final PerfTimer latency;
    private final PerfTimer cpu;
    private final PerfTimer allocation;
    private final CallTrees callTrees;

    MethodProbe(NanoClock clock, PerfTimer latency, PerfTimer cpu, PerfTimer allocation, CallTrees callTrees) {
        this.clock = clock;
        this.latency = latency;
        this.cpu = cpu;
        this.allocation = allocation;
        this.callTrees = callTrees;
    }

    public PerfTimer latency() {
        return latency;
    }

    /** Reads the clock at entry. */
    public long start() {
        return clock.nanoTime();
    }

    /** Records a normal return. */
    public void success(long startNanos) {
        try {
            latency.record(clock.nanoTime() - startNanos);
        } catch (Throwable t) {
            InternalErrors.report(latency.name(), t);
        }
    }

    /** Records an exception; the caller rethrows the same instance. */
    public void failure(long startNanos, Throwable failure) {
        try {
            latency.recordError(clock.nanoTime() - startNanos, failure);
        } catch (Throwable t) {
            InternalErrors.report(latency.name(), t);
        }
    }

    /** Records when {@code stage} completes; the caller returns the same stage instance. */
    public void completion(long startNanos, CompletionStage<?> stage) {
        try {
            stage.whenComplete((value, failure) -> {
                if (failure == null) {
                    success(startNanos);
                } else {
                    failure(startNanos, failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure);
                }
            });
        } catch (Throwable t) {
            InternalErrors.report(latency.name(), t);
        }
    }

    /**
     * Enters a profiled call: pushes a pooled frame on this thread's call stack and takes the start readings (CPU,
     * allocation, then the clock, so that the latency excludes the other two reads).
     */
    public ProfiledFrame enter() {
        ProfiledFrame frame = callTrees.push(latency, latency.name());
        frame.jfrEvent = JfrEvents.beginIfEnabled();
        frame.cpuStartNanos = ThreadMetrics.cpuNanos();
        frame.allocationStartBytes = ThreadMetrics.allocatedBytes();
        frame.startNanos = clock.nanoTime();
        return frame;
    }

    /** Leaves a profiled call that returned normally, or threw {@code failure} (then the caller rethrows it). */
    public void exit(ProfiledFrame frame, Throwable failure) {
        long totalNanos = clock.nanoTime() - frame.startNanos;
        try {
            if (failure == null) {
                latency.record(totalNanos);
            } else {
                latency.recordError(totalNanos, failure);
            }
            leave(frame, totalNanos, failure);
        } catch (Throwable t) {
            InternalErrors.report(latency.name(), t);
        }
    }

    /** Leaves a profiled call that returned {@code stage}: latency is recorded when it completes. */
    public void exitAsync(ProfiledFrame frame, CompletionStage<?> stage) {
        long totalNanos = clock.nanoTime() - frame.startNanos;
        try {
            completion(frame.startNanos, stage);
            leave(frame, totalNanos, null);
        } catch (Throwable t) {
            InternalErrors.report(latency.name(), t);
        }
    }

    private void leave(ProfiledFrame frame, long totalNanos, Throwable failure) {
        long allocatedBytes = -1;
        long cpuNanos = -1;
        if (frame.allocationStartBytes >= 0) {
            long now = ThreadMetrics.allocatedBytes();
            if (now >= 0) {
                allocatedBytes = now - frame.allocationStartBytes;
                allocation.record(allocatedBytes);
            }
        }
        if (frame.cpuStartNanos >= 0) {
            long now = ThreadMetrics.cpuNanos();
            if (now >= 0) {
                cpuNanos = now - frame.cpuStartNanos;
                cpu.record(cpuNanos);
            }
        }
        callTrees.pop(frame, totalNanos, cpuNanos, allocatedBytes);
        Object event = frame.jfrEvent;
        if (event != null) {
            frame.jfrEvent = null;
            JfrEvents.finish(event, latency.name(), cpuNanos, allocatedBytes, failure);
        }
    }
}
