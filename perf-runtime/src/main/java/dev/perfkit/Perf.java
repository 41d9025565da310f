package dev.perfkit;

import dev.perfkit.internal.JoinPoints;
import java.util.Objects;

/**
 * The process-wide entry point: the registry that woven methods record into, and programmatic timing.
 *
 * <pre>{@code
 * try (Stopwatch watch = Perf.start("report.render")) {
 *     render();
 * }
 * Perf.record("queue.wait", waitedNanos);
 * TimerSnapshot s = Perf.registry().snapshot("report.render").orElseThrow();
 * }</pre>
 *
 * <p>AspectJ creates the aspects itself, so they cannot be handed a registry: they use the one installed here. Tests
 * and hosts may install their own; join points resolve again against the new registry. All methods are thread-safe.
 */
public final class Perf {

    private static volatile PerfRegistry registry;

    static {
        setRegistry(new PerfRegistry());
    }

    private Perf() {
    }

    /** The registry woven methods record into. Never null. */
    public static PerfRegistry registry() {
        return registry;
    }

    /**
     * Installs {@code registry} as the process-wide registry and returns the previous one (so that a test can put it
     * back). Calls in flight finish recording into the registry they started with.
     */
    public static synchronized PerfRegistry setRegistry(PerfRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        PerfRegistry previous = Perf.registry;
        Perf.registry = registry;
        JoinPoints.bind(registry.measuredMethods());
        return previous;
    }

    /** {@link PerfRegistry#start(String)} on the current registry. */
    public static Stopwatch start(String name) {
        return registry().start(name);
    }

    /** {@link PerfRegistry#record(String, long)} on the current registry. */
    public static void record(String name, long nanos) {
        registry().record(name, nanos);
    }

    /** Turns recording by woven methods on or off in the current registry. */
    public static void setEnabled(boolean enabled) {
        registry().setEnabled(enabled);
    }
}
