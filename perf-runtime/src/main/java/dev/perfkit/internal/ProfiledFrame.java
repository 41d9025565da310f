package dev.perfkit.internal;

/**
 * The state of one {@code @Profiled} call in progress on the current thread: start readings, the call-tree node, the
 * time spent in nested profiled calls, and the JFR event when a recording wants one. Frames are pooled in their
 * thread's stack and reused, so entering and leaving a profiled call on a platform thread allocates nothing. Owner
 * thread only.
 */
final class ProfiledFrame {

    final CallTrees.FrameStack stack;
    final int index;
    CallNode node;
    long startNanos;
    /** Thread CPU time at entry, or -1: unsupported, or a virtual thread (the JDK has no per-virtual-thread value). */
    long cpuStartNanos;
    /** Bytes allocated by the thread at entry, or -1 as for {@link #cpuStartNanos}. */
    long allocationStartBytes;
    long childNanos;
    Object jfrEvent;

    ProfiledFrame(CallTrees.FrameStack stack, int index) {
        this.stack = stack;
        this.index = index;
    }
}
