package dev.perfkit.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tree of nested {@code @Profiled} calls of one registry, aggregated per call path: calls, total (inclusive) time,
 * self (exclusive) time, CPU time and allocated bytes.
 *
 * <p>Design note: there is one tree, shared by every thread, so its memory is bounded by the number of distinct call
 * paths (capped), never by the number of threads: a path is one {@link CallNode} however many threads run it, and a
 * thread that dies leaves nothing behind. A node's totals are updated with atomic adds (a profiled call already pays
 * for two thread-metric reads, which cost far more); a child is added under the parent's lock, once per path, and
 * found again with a lock-free scan. Nesting is tracked on a per-thread {@link FrameStack} of pooled
 * {@link ProfiledFrame}s: a platform thread keeps its stack (a few frames, freed with the thread), so entering and
 * leaving allocates nothing; a virtual thread drops its stack when its outermost profiled call returns, so no
 * per-thread state outlives the call. A call's self time is its total minus the totals of the profiled calls nested
 * directly in it. Only the synchronous part of a call is in the tree: an asynchronous completion on another thread
 * updates the latency histogram only. Calls on paths beyond the cap land in one shared {@code (overflow)} node
 * (runaway recursion included). Thread-safe.
 */
public final class CallTrees {

    /** Name of the node that collects calls on paths beyond the cap. */
    public static final String OVERFLOW = "(overflow)";

    private final int maxPaths;
    private final AtomicInteger paths = new AtomicInteger();
    private final CallNode root = new CallNode("(root)", null, null, false);
    private final ThreadLocal<FrameStack> stacks = new ThreadLocal<>();
    private volatile CallNode overflow;
    private volatile boolean enabled = true;

    public CallTrees(int maxPaths) {
        this.maxPaths = maxPaths;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int maxPaths() {
        return maxPaths;
    }

    /** Pushes a frame for a call of the method keyed by {@code key} (its latency timer) and returns it. */
    ProfiledFrame push(Object key, String name) {
        FrameStack stack = stacks.get();
        if (stack == null) {
            stack = new FrameStack();
            stacks.set(stack);
        }
        ProfiledFrame frame = stack.push();
        frame.childNanos = 0;
        if (enabled) {
            CallNode parent = frame.index == 0 ? root : stack.frames[frame.index - 1].node;
            frame.node = parent == null ? null : child(parent, key, name);
        } else {
            frame.node = null;
        }
        return frame;
    }

    /** The frame of the innermost profiled call in progress on this thread. */
    ProfiledFrame current() {
        FrameStack stack = stacks.get();
        return stack.frames[stack.depth - 1];
    }

    /**
     * Pops {@code frame}, adds the call to its node and charges its total to the enclosing frame's children.
     * {@code cpuNanos} and {@code allocatedBytes} are -1 when they were not measured.
     */
    void pop(ProfiledFrame frame, long totalNanos, long cpuNanos, long allocatedBytes) {
        totalNanos = Math.max(0, totalNanos); // a clock that went backwards: clamp, as the histograms do
        if (frame.node != null) {
            frame.node.add(totalNanos, Math.max(0, totalNanos - frame.childNanos), cpuNanos, allocatedBytes);
        }
        if (frame.index > 0) {
            frame.stack.frames[frame.index - 1].childNanos += totalNanos;
        }
        discard(frame);
    }

    /** Pops {@code frame} without recording it (the call could not be measured). */
    void discard(ProfiledFrame frame) {
        FrameStack stack = frame.stack;
        stack.depth = frame.index; // also repairs the stack if an inner frame was never popped
        if (frame.index == 0 && VirtualThreads.isVirtual(Thread.currentThread())) {
            stacks.remove(); // nothing of a virtual thread outlives its outermost profiled call
        }
    }

    private CallNode child(CallNode parent, Object key, String name) {
        if (parent.isOverflow()) {
            return parent;
        }
        CallNode child = parent.findChild(key);
        if (child != null) {
            return child;
        }
        synchronized (parent) {
            child = parent.findChild(key);
            if (child != null) {
                return child;
            }
            if (paths.incrementAndGet() > maxPaths) {
                paths.decrementAndGet();
                return overflow();
            }
            return parent.addChild(name, key, false);
        }
    }

    private CallNode overflow() {
        CallNode node = overflow;
        if (node == null) {
            synchronized (root) {
                node = overflow;
                if (node == null) {
                    node = root.addChild(OVERFLOW, OVERFLOW, true);
                    overflow = node;
                }
            }
        }
        return node;
    }

    /** Receives one path of the tree: its frames, outermost first, and its totals (see {@link #forEachPath}). */
    @FunctionalInterface
    public interface PathVisitor {
        /**
         * @param frames            the path, outermost first; valid only during the call (copy it to keep it)
         * @param totalNanos        inclusive time of the calls, nanoseconds
         * @param selfNanos         exclusive time, nanoseconds
         * @param cpuNanos          CPU time of the calls measured on platform threads, nanoseconds
         * @param allocatedBytes    bytes allocated by those calls
         * @param threadMetricCalls how many of the calls the CPU and allocation figures cover
         */
        void path(List<String> frames, long calls, long totalNanos, long selfNanos, long cpuNanos,
                  long allocatedBytes, long threadMetricCalls);
    }

    /** Visits every path with at least one completed call, depth first. Never blocks writers. */
    public void forEachPath(PathVisitor visitor) {
        List<String> frames = new ArrayList<>();
        for (CallNode child : root.children()) {
            visit(child, frames, visitor);
        }
    }

    private static void visit(CallNode node, List<String> frames, PathVisitor visitor) {
        frames.add(node.name());
        if (node.calls() > 0) {
            visitor.path(frames, node.calls(), node.totalNanos(), node.selfNanos(), node.cpuNanos(),
                    node.allocatedBytes(), node.threadMetricCalls());
        }
        for (CallNode child : node.children()) {
            visit(child, frames, visitor);
        }
        frames.remove(frames.size() - 1);
    }

    /** Distinct paths recorded so far (at most {@link #maxPaths()}). */
    public int pathCount() {
        return paths.get();
    }

    /** One thread's stack of profiled calls in progress. Owner thread only. */
    static final class FrameStack {
        ProfiledFrame[] frames = new ProfiledFrame[8];
        int depth;

        ProfiledFrame push() {
            if (depth == frames.length) {
                frames = Arrays.copyOf(frames, depth * 2);
            }
            ProfiledFrame frame = frames[depth];
            if (frame == null) {
                frame = new ProfiledFrame(this, depth);
                frames[depth] = frame;
            }
            depth++;
            return frame;
        }
    }
}
