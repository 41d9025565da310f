package dev.perfkit.profile;

/**
 * Totals of one {@code @Profiled} method over every path it appears on. Inclusive figures (total, CPU, allocation)
 * count a recursive call once, at its outermost occurrence on each path.
 *
 * @param name           metric name
 * @param calls          completed calls
 * @param totalNanos     inclusive wall time
 * @param selfNanos      exclusive wall time
 * @param cpuNanos       inclusive thread CPU time
 * @param allocatedBytes inclusive allocated bytes
 */
public record MethodProfile(String name, long calls, long totalNanos, long selfNanos, long cpuNanos,
                           long allocatedBytes) {

    /** The value this profile is sorted by for {@code key}. */
    public long value(SortKey key) {
        return switch (key) {
            case TOTAL -> totalNanos;
            case SELF -> selfNanos;
            case CALLS -> calls;
            case CPU -> cpuNanos;
            case ALLOC -> allocatedBytes;
        };
    }
}
