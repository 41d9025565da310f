package dev.perfkit.internal;

import java.lang.management.ManagementFactory;

/**
 * CPU time and allocated bytes of the current thread, from {@code com.sun.management.ThreadMXBean}, or {@code -1}
 * where the JVM does not support or has disabled them. Thread-safe.
 */
final class ThreadMetrics {

    private static final com.sun.management.ThreadMXBean BEAN = lookup();
    private static final boolean CPU = BEAN != null && cpuSupported(BEAN);
    private static final boolean ALLOCATION = BEAN != null && allocationSupported(BEAN);

    private ThreadMetrics() {
    }

    private static com.sun.management.ThreadMXBean lookup() {
        try {
            java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
            return bean instanceof com.sun.management.ThreadMXBean ? (com.sun.management.ThreadMXBean) bean : null;
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static boolean cpuSupported(com.sun.management.ThreadMXBean bean) {
        try {
            return bean.isCurrentThreadCpuTimeSupported() && bean.isThreadCpuTimeEnabled();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean allocationSupported(com.sun.management.ThreadMXBean bean) {
        try {
            return bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** CPU nanoseconds used by the current thread so far, or -1 when unavailable. */
    public static long cpuNanos() {
        return CPU ? BEAN.getCurrentThreadCpuTime() : -1;
    }

    /** Bytes allocated by the current thread so far, or -1 when unavailable. */
    public static long allocatedBytes() {
        return ALLOCATION ? BEAN.getCurrentThreadAllocatedBytes() : -1;
    }

    public static boolean cpuTimeSupported() {
        return CPU;
    }

    public static boolean allocationSupported() {
        return ALLOCATION;
    }
}
