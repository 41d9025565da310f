package dev.perfkit.internal;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * What a woven method records into, resolved once per join point: its latency timer and, for {@code @Profiled}, its
 * CPU and allocation timers and the call tree. The aspect calls {@link #start()} before {@code proceed()} and
 * {@link #success}, {@link #failure} or {@link #completion} after it, whichever the annotation; none of them throws
 * (a failing clock, listener or recorder is reported once through {@link InternalErrors} and the call runs unmeasured) or, in
 * steady state, allocates. Thread-safe.
 *
 * <p>Sampled timing ({@code @Timed(sampleOneIn = N)}): {@link #start()} asks the timer's {@link SamplingCounter}
 * whether the call is sampled; for the N - 1 calls in N that are not, the counter has already counted the call, and
 * {@link #start()} returns {@link #NOT_SAMPLED} without reading the clock. Their end records nothing but the error of a
 * throw. So an unsampled call is counted when it starts: a snapshot taken while it runs includes it. The first
 * {@value #FIRST_CALLS_MEASURED} calls of a join point are all measured, so that a method called rarely still shows
 * latencies; the countdown is a plain field, written only during those first calls (a lost decrement under a race
 * measures one call more, nothing else).
 */
public final class MethodProbe {

    /**
     * What {@link #start()} returns when the clock failed: the call runs unmeasured. A clock that really returns this
     * value (once in 2^64 readings) loses that one measurement.
     */
    public static final long NOT_STARTED = Long.MIN_VALUE;

    /**
     * What {@link #start()} returns for a call whose latency is not sampled: it is only counted. A clock that really
     * returns this value loses that one latency (the call is still counted).
     */
    public static final long NOT_SAMPLED = Long.MIN_VALUE + 1;

    /** Calls of a sampled join point that are all measured before sampling starts. */
    public static final int FIRST_CALLS_MEASURED = 64;

    private final LongSupplier clock;
    private final TimerSink latency;
    private final TimerSink cpu;
    private final TimerSink allocation;
    private final CallTrees callTrees;
    /** sampleOneIn - 1; 0 times every call. */
    private final int sampleMask;
    /** The latency timer's counter of unsampled calls; null when every call is timed. */
    private final SamplingCounter unsampled;
    /** Calls still measured before sampling starts; racy by design (see the class comment). */
    private int firstCallsLeft = FIRST_CALLS_MEASURED;

    /**
     * A probe recording into {@code latency}, and for a profiled method ({@code callTrees} not null) also into
     * {@code cpu}, {@code allocation} and the call tree.
     *
     * @param clock       nanosecond clock read at entry and exit; null for {@link System#nanoTime()}, read directly
     * @param sampleOneIn 1 to time every call, else a power of two: one call in that many is timed, all are counted
     */
    public MethodProbe(LongSupplier clock, TimerSink latency, TimerSink cpu, TimerSink allocation,
                       CallTrees callTrees, int sampleOneIn) {
        this.sampleMask = sampleOneIn - 1;
        this.unsampled = sampleOneIn > 1 ? latency.unsampledCalls() : null;
        this.clock = clock;
        this.latency = latency;
        this.cpu = cpu;
        this.allocation = allocation;
        this.callTrees = callTrees;
    }

    private long now() {
        LongSupplier custom = clock;
        return custom == null ? System.nanoTime() : custom.getAsLong();
    }

    /**
     * Enters a call: reads the clock (a profiled probe first pushes a frame on this thread's call stack and reads the
     * thread's CPU time and allocation, so that the latency excludes those reads). Returns the start reading,
     * {@link #NOT_SAMPLED} for a call whose latency is not sampled, or {@link #NOT_STARTED} when something failed
     * (reported once): the call then runs unmeasured.
     */
    public long start() {
        if (callTrees != null) {
            return enterProfiled();
        }
        try {
            if (sampleMask != 0) {
                if (firstCallsLeft > 0) {
                    firstCallsLeft--;
                } else if (unsampled.countUnlessSampled(sampleMask)) {
                    return NOT_SAMPLED;
                }
            }
            return now();
        } catch (Throwable t) {
            InternalErrors.report(latency.name(), t);
            return NOT_STARTED;
        }
    }

    /** Records a normal return of the call started at {@code startNanos}. */
    public void success(long startNanos) {
        if (startNanos == NOT_STARTED) {
            return;
        }
        if (callTrees != null) {
            exitProfiled(null, null);
            return;
        }
        if (startNanos == NOT_SAMPLED) {
            return; // counted when it started
        }
        try {
            latency.record(now() - startNanos);
        } catch (Throwable t) {
            InternalErrors.report(latency.name(), t);
        }
    }

    /** Records an exception; the caller rethrows the same instance. */
    public void failure(long startNanos, Throwable failure) {
        if (startNanos == NOT_STARTED) {
            return;
        }
        if (callTrees != null) {
            exitProfiled(failure, null);
            return;
        }
        try {
            if (startNanos == NOT_SAMPLED) {
                latency.countError(failure);
                return;
            }
            latency.recordError(now() - startNanos, failure);
        } catch (Throwable t) {
            InternalErrors.report(latency.name(), t);
        }
    }

    /**
     * Records when {@code stage} completes; the caller returns the same stage instance. A profiled call's CPU time,
     * allocation and place in the tree are those of its synchronous part.
     */
    public void completion(long startNanos, CompletionStage<?> stage) {
        if (startNanos == NOT_STARTED) {
            return;
        }
        if (callTrees != null) {
            exitProfiled(null, stage);
            return;
        }
        recordOnCompletion(startNanos, stage);
    }

    private void recordOnCompletion(long startNanos, CompletionStage<?> stage) {
        try {
            stage.whenComplete((value, failure) -> {
                try {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (startNanos == NOT_SAMPLED) {
                        if (cause != null) {
                            latency.countError(cause);
                        }
                        return;
                    }
                    long elapsedNanos = now() - startNanos;
                    if (cause == null) {
                        latency.record(elapsedNanos);
                    } else {
                        latency.recordError(elapsedNanos, cause);
                    }
                } catch (Throwable t) {
                    InternalErrors.report(latency.name(), t);
                }
            });
        } catch (Throwable t) {
            InternalErrors.report(latency.name(), t);
        }
    }

    /**
     * Pushes a pooled frame and takes the start readings. On a virtual thread, CPU time and allocation are not read:
     * the JDK has no per-virtual-thread value.
     */
    private long enterProfiled() {
        ProfiledFrame frame = null;
        try {
            frame = callTrees.push(latency, latency.name());
            frame.jfrEvent = JfrEvents.beginIfEnabled();
            if (VirtualThreads.isVirtual(Thread.currentThread())) {
                frame.cpuStartNanos = -1;
                frame.allocationStartBytes = -1;
            } else {
                frame.cpuStartNanos = ThreadMetrics.cpuNanos();
                frame.allocationStartBytes = ThreadMetrics.allocatedBytes();
            }
            long startNanos = now();
            frame.startNanos = startNanos;
            return startNanos == NOT_STARTED ? startNanos + 1 : startNanos;
        } catch (Throwable t) {
            abandon(frame, t);
            return NOT_STARTED;
        }
    }

    /** Leaves the profiled call on top of this thread's stack: returned, threw {@code failure}, or returned a stage. */
    private void exitProfiled(Throwable failure, CompletionStage<?> stage) {
        ProfiledFrame frame = null;
        try {
            frame = callTrees.current();
            long totalNanos = now() - frame.startNanos;
            if (stage != null) {
                recordOnCompletion(frame.startNanos, stage);
            } else if (failure == null) {
                latency.record(totalNanos);
            } else {
                latency.recordError(totalNanos, failure);
            }
            leave(frame, totalNanos, failure);
        } catch (Throwable t) {
            abandon(frame, t);
        }
    }

    private void abandon(ProfiledFrame frame, Throwable failure) {
        InternalErrors.report(latency.name(), failure);
        if (frame == null) {
            return;
        }
        try {
            frame.jfrEvent = null;
            callTrees.discard(frame);
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
