package dev.perfkit.internal;

import dev.perfkit.profile.PathProfile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-thread trees of nested {@code @Profiled} calls, aggregated per path: calls, total (inclusive) time, self
 * (exclusive) time, CPU time and allocated bytes.
 *
 * <p>Design note: each thread owns its tree and a stack of pooled {@link ProfiledFrame}s, so nesting is tracked with no
 * sharing and no allocation once a path exists. A call's self time is its total minus the totals of the profiled
 * calls nested directly in it. Only the synchronous part of a call is in the tree: an asynchronous completion on
 * another thread updates the latency histogram, never a tree, so threads cannot corrupt each other's trees. The number
 * of distinct paths is capped across all threads; calls on paths beyond the cap land in one {@code (overflow)} node per
 * thread (runaway recursion included), so memory stays bounded. Thread-safe.
 */
public final class CallTrees {

    /** Name of the node that collects calls on paths beyond the cap. */
    public static final String OVERFLOW = "(overflow)";

    private final int maxPaths;
    private final AtomicInteger paths = new AtomicInteger();
    private final ConcurrentLinkedQueue<ThreadTree> trees = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<ThreadTree> local = ThreadLocal.withInitial(this::newTree);
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
        ThreadTree tree = local.get();
        ProfiledFrame frame = tree.push();
        frame.childNanos = 0;
        if (enabled) {
            CallNode parent = frame.index == 0 ? tree.root : tree.frames[frame.index - 1].node;
            frame.node = parent == null ? null : child(tree, parent, key, name);
        } else {
            frame.node = null;
        }
        return frame;
    }

    /** Pops {@code frame} and charges its total to the enclosing frame's children. */
    void pop(ProfiledFrame frame, long totalNanos, long cpuNanos, long allocatedBytes) {
        totalNanos = Math.max(0, totalNanos); // a clock that went backwards: clamp, as the histograms do
        if (frame.node != null) {
            frame.node.add(totalNanos, Math.max(0, totalNanos - frame.childNanos), cpuNanos, allocatedBytes);
        }
        ThreadTree tree = frame.tree;
        tree.depth = frame.index; // also repairs the stack if an inner frame was never popped
        if (frame.index > 0) {
            tree.frames[frame.index - 1].childNanos += totalNanos;
        }
    }

    private CallNode child(ThreadTree tree, CallNode parent, Object key, String name) {
        if (parent.isOverflow()) {
            return parent;
        }
        CallNode child = parent.findChild(key);
        if (child != null) {
            return child;
        }
        if (paths.incrementAndGet() > maxPaths) {
            paths.decrementAndGet();
            return tree.overflow();
        }
        return parent.addChild(name, key, false);
    }

    /** Every path of every thread's tree (threads that are gone included: their totals are part of the profile). */
    public List<PathProfile> paths() {
        List<PathProfile> out = new ArrayList<>();
        List<String> frames = new ArrayList<>();
        for (ThreadTree tree : trees) {
            for (CallNode child : tree.root.children()) {
                collect(child, frames, out);
            }
        }
        return out;
    }

    private static void collect(CallNode node, List<String> frames, List<PathProfile> out) {
        frames.add(node.name());
        if (node.calls() > 0) {
            out.add(new PathProfile(frames, node.calls(), node.totalNanos(), node.selfNanos(), node.cpuNanos(),
                    node.allocatedBytes()));
        }
        for (CallNode child : node.children()) {
            collect(child, frames, out);
        }
        frames.remove(frames.size() - 1);
    }

    /** Distinct paths recorded so far (at most {@link #maxPaths()}). */
    public int pathCount() {
        return paths.get();
    }

    private ThreadTree newTree() {
        ThreadTree tree = new ThreadTree();
        trees.add(tree);
        return tree;
    }

    /** One thread's tree and frame stack. */
    static final class ThreadTree {
        final CallNode root = new CallNode("(root)", null, null, false);
        ProfiledFrame[] frames = new ProfiledFrame[8];
        int depth;
        private CallNode overflow;

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

        CallNode overflow() {
            if (overflow == null) {
                overflow = root.addChild(OVERFLOW, OVERFLOW, true);
            }
            return overflow;
        }
    }
}
