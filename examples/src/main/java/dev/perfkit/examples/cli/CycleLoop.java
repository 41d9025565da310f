package dev.perfkit.examples.cli;

import dev.perfkit.profile.Profile;
import dev.perfkit.traffic.pipeline.TrafficPipeline;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The body of {@code serve}'s cycle schedule: one pipeline cycle per call, never letting anything escape (an exception
 * escaping a scheduled task cancels every later run, silently).
 *
 * <p>Design note. Any {@link Throwable} of a cycle is counted on the panels (which make {@code /api/health}
 * DEGRADED), printed as one line on stderr, and the next call runs the next cycle; a run whose cycle failed before
 * its store is retried by the pipeline. A {@link VirtualMachineError} is different only when it says the JVM cannot go
 * on: an {@link InternalError} or {@link UnknownError} at once, an {@link OutOfMemoryError} when
 * {@value #FATAL_CONSECUTIVE_OOM} cycles in a row ran out of memory (one cycle's garbage is unreachable once it
 * failed, so a single out-of-memory cycle is retried; several in a row mean the heap is too small for a cycle). Then
 * {@code fatal} is told once with the reason and no further cycle runs, so the process exits non-zero instead of
 * serving a dashboard whose cycles have stopped. A {@link StackOverflowError} unwinds and is an ordinary failure.
 *
 * <p>Called from one scheduler thread; the panels it feeds are thread-safe.
 */
final class CycleLoop implements Runnable {

    /** Consecutive out-of-memory cycles after which serving stops. */
    static final int FATAL_CONSECUTIVE_OOM = 3;

    private final TrafficPipeline pipeline;
    private final TrafficPanels panels;
    private final MetricsFiles files;
    private final Supplier<Profile> profile;
    private final Integer maxCycles;
    private final Consumer<String> fatal;
    private int cyclesRun;
    private int consecutiveOom;
    private boolean stopped;

    /**
     * @param maxCycles cycles to run, or null for no limit
     * @param fatal     told once, with the reason, when the JVM cannot go on
     */
    CycleLoop(TrafficPipeline pipeline, TrafficPanels panels, MetricsFiles files, Supplier<Profile> profile,
              Integer maxCycles,
              Consumer<String> fatal) {
        this.pipeline = pipeline;
        this.panels = panels;
        this.files = files;
        this.profile = profile;
        this.maxCycles = maxCycles;
        this.fatal = fatal;
    }

    @Override
    public void run() {
        if (stopped || (maxCycles != null && cyclesRun >= maxCycles)) {
            return;
        }
        cyclesRun++;
        try {
            panels.cycleDone(pipeline.runCycle());
            consecutiveOom = 0;
            files.flush();
            files.saveProfile(profile.get()); // every cycle: a kill loses at most the cycle in progress
        } catch (Throwable failure) {
            failed(failure);
        }
    }

    private void failed(Throwable failure) {
        try {
            consecutiveOom = failure instanceof OutOfMemoryError ? consecutiveOom + 1 : 0;
            panels.cycleFailed(failure);
            String retry = pipeline.retryPending() ? "; the next cycle retries its run" : "";
            System.err.println("traffic-perf: cycle " + cyclesRun + " failed: " + panels.describe(failure) + retry);
            String reason = fatalReason(failure);
            if (reason != null) {
                stopped = true;
                fatal.accept(reason);
            }
        } catch (Throwable reporting) {
            // even reporting failed (out of memory again): stop rather than loop silently
            stopped = true;
            fatal.accept("cycle " + cyclesRun + " failed (" + failure.getClass().getSimpleName()
                    + ") and reporting it failed too (" + reporting.getClass().getSimpleName() + ")");
        }
    }

    private String fatalReason(Throwable failure) {
        if (failure instanceof InternalError || failure instanceof UnknownError) {
            return "the JVM reported " + failure + "; it cannot be trusted to go on";
        }
        if (failure instanceof OutOfMemoryError && consecutiveOom >= FATAL_CONSECUTIVE_OOM) {
            return consecutiveOom + " cycles in a row ran out of memory (" + failure.getMessage() + ", max heap "
                    + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB): give the JVM more heap (-Xmx) "
                    + "or collect fewer edges per cycle";
        }
        return null;
    }
}
