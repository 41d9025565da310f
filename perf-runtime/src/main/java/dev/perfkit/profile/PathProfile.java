package dev.perfkit.profile;

import java.util.List;

/**
 * Totals of one call path of {@code @Profiled} methods (outermost first), summed over threads.
 *
 * @param frames         metric names from the outermost profiled call to this one
 * @param calls          completed calls on this path
 * @param totalNanos     inclusive wall time
 * @param selfNanos      exclusive wall time: total minus the totals of profiled calls nested directly inside
 * @param cpuNanos          inclusive thread CPU time of the {@code threadMetricCalls} (0 where unsupported)
 * @param allocatedBytes    inclusive bytes allocated by the thread in the {@code threadMetricCalls} (0 where
 *                          unsupported)
 * @param threadMetricCalls calls whose CPU time and allocation were read: all calls on platform threads, none on
 *                          virtual threads (the JDK has no per-virtual-thread CPU time or allocation counter), so CPU
 *                          and allocation per call are {@code cpuNanos / threadMetricCalls}, never {@code / calls}
 */
public record PathProfile(List<String> frames, long calls, long totalNanos, long selfNanos, long cpuNanos,
                          long allocatedBytes, long threadMetricCalls) {

    public PathProfile {
        frames = List.copyOf(frames);
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("a path has at least one frame");
        }
    }

    /** A path whose every call had its CPU time and allocation read. */
    public PathProfile(List<String> frames, long calls, long totalNanos, long selfNanos, long cpuNanos,
                       long allocatedBytes) {
        this(frames, calls, totalNanos, selfNanos, cpuNanos, allocatedBytes, calls);
    }

    /** The innermost frame: the method this path's totals belong to. */
    public String method() {
        return frames.get(frames.size() - 1);
    }

    /** Frames joined with {@code ;}, as in collapsed stacks. */
    public String key() {
        return String.join(";", frames);
    }

    PathProfile plus(PathProfile other) {
        return new PathProfile(frames, calls + other.calls, totalNanos + other.totalNanos,
                selfNanos + other.selfNanos, cpuNanos + other.cpuNanos, allocatedBytes + other.allocatedBytes,
                threadMetricCalls + other.threadMetricCalls);
    }
}
