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

    MethodProbe(NanoClock clock, PerfTimer latency, PerfTimer cpu, PerfTimer allocation) {
        this.clock = clock;
        this.latency = latency;
        this.cpu = cpu;
        this.allocation = allocation;
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

    /** CPU time of the current thread at entry of a profiled call, or -1. */
    public long cpuStart() {
        return ThreadMetrics.cpuNanos();
    }

    /** Bytes allocated by the current thread at entry of a profiled call, or -1. */
    public long allocationStart() {
        return ThreadMetrics.allocatedBytes();
    }

    /** Records CPU time and allocation of the synchronous part of a profiled call; latency is recorded separately. */
    public void resources(long cpuStartNanos, long allocationStartBytes) {
        try {
            if (allocationStartBytes >= 0) {
                long allocatedBytes = ThreadMetrics.allocatedBytes();
                if (allocatedBytes >= 0) {
                    allocation.record(allocatedBytes - allocationStartBytes);
                }
            }
            if (cpuStartNanos >= 0) {
                long cpuNanos = ThreadMetrics.cpuNanos();
                if (cpuNanos >= 0) {
                    cpu.record(cpuNanos - cpuStartNanos);
                }
            }
        } catch (Throwable t) {
            InternalErrors.report(latency.name(), t);
        }
    }
}
