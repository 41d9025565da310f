package dev.perfkit.internal;

/**
 * The state of one {@code @Profiled} call in progress on the current thread: start readings, the call-tree node, the
 * time spent in nested profiled calls, and the JFR event when a recording wants one. Frames are pooled per thread and
 * reused, so entering and leaving a profiled call allocates nothing. Owner thread only.
 */
public final class ProfiledFrame {

    final CallTrees.ThreadTree tree;
    final int index;
    CallNode node;
    long startNanos;
    long cpuStartNanos;
    long allocationStartBytes;
    long childNanos;
    Object jfrEvent;

    ProfiledFrame(CallTrees.ThreadTree tree, int index) {
        this.tree = tree;
        this.index = index;
    }
}
