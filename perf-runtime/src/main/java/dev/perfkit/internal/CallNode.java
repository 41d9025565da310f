package dev.perfkit.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One path in the tree of nested {@code @Profiled} calls, with its totals, shared by every thread that runs the path.
 * Totals are updated with atomic adds; children are added under this node's lock (by {@link CallTrees}) and published
 * with release/acquire, so a lock-free reader or lookup never sees a half-built child list.
 */
final class CallNode {

    private static final VarHandle CALLS;
    private static final VarHandle TOTAL;
    private static final VarHandle SELF;
    private static final VarHandle CPU;
    private static final VarHandle ALLOCATED;
    private static final VarHandle CHILDREN;
    private static final VarHandle CHILD_COUNT;
    private static final VarHandle THREAD_METRIC_CALLS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CALLS = lookup.findVarHandle(CallNode.class, "calls", long.class);
            TOTAL = lookup.findVarHandle(CallNode.class, "totalNanos", long.class);
            SELF = lookup.findVarHandle(CallNode.class, "selfNanos", long.class);
            CPU = lookup.findVarHandle(CallNode.class, "cpuNanos", long.class);
            ALLOCATED = lookup.findVarHandle(CallNode.class, "allocatedBytes", long.class);
            CHILDREN = lookup.findVarHandle(CallNode.class, "children", CallNode[].class);
            CHILD_COUNT = lookup.findVarHandle(CallNode.class, "childCount", int.class);
            THREAD_METRIC_CALLS = lookup.findVarHandle(CallNode.class, "threadMetricCalls", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Key of the frame: the method's latency timer name, or a marker for the root and the overflow node. */
    private final String name;
    private final Object key;
    private final CallNode parent;
    private final boolean overflow;
    private CallNode[] children = new CallNode[2];
    private int childCount;
    private long calls;
    private long totalNanos;
    private long selfNanos;
    private long cpuNanos;
    private long allocatedBytes;
    private long threadMetricCalls;

    CallNode(String name, Object key, CallNode parent, boolean overflow) {
        this.name = name;
        this.key = key;
        this.parent = parent;
        this.overflow = overflow;
    }

    /** The child for {@code key}, or null. Any thread, lock-free. */
    CallNode findChild(Object childKey) {
        int n = (int) CHILD_COUNT.getAcquire(this);
        CallNode[] array = (CallNode[]) CHILDREN.getAcquire(this);
        for (int i = 0; i < n; i++) {
            if (array[i].key == childKey) {
                return array[i];
            }
        }
        return null;
    }

    /** Adds a child. Callers hold this node's lock. */
    CallNode addChild(String childName, Object childKey, boolean childOverflow) {
        CallNode child = new CallNode(childName, childKey, this, childOverflow);
        CallNode[] array = children;
        int n = childCount;
        if (n == array.length) {
            array = Arrays.copyOf(array, n * 2);
        }
        array[n] = child;
        CHILDREN.setRelease(this, array);
        CHILD_COUNT.setRelease(this, n + 1);
        return child;
    }

    /**
     * Adds one completed call. {@code cpu} and {@code allocated} are -1 when not measured (a virtual thread, or a JVM
     * without the thread metric): then they add nothing, and the call is not counted in
     * {@link #threadMetricCalls()}. Any thread.
     */
    void add(long total, long self, long cpu, long allocated) {
        CALLS.getAndAdd(this, 1L);
        TOTAL.getAndAdd(this, total);
        SELF.getAndAdd(this, self);
        if (cpu >= 0 || allocated >= 0) {
            THREAD_METRIC_CALLS.getAndAdd(this, 1L);
        }
        if (cpu > 0) {
            CPU.getAndAdd(this, cpu);
        }
        if (allocated > 0) {
            ALLOCATED.getAndAdd(this, allocated);
        }
    }

    public String name() {
        return name;
    }

    public CallNode parent() {
        return parent;
    }

    public boolean isOverflow() {
        return overflow;
    }

    /** A stable copy of the children, for readers. */
    public CallNode[] children() {
        int n = (int) CHILD_COUNT.getAcquire(this);
        CallNode[] array = (CallNode[]) CHILDREN.getAcquire(this);
        return Arrays.copyOf(array, n);
    }

    public long calls() {
        return (long) CALLS.getOpaque(this);
    }

    public long totalNanos() {
        return (long) TOTAL.getOpaque(this);
    }

    public long selfNanos() {
        return (long) SELF.getOpaque(this);
    }

    public long cpuNanos() {
        return (long) CPU.getOpaque(this);
    }

    public long allocatedBytes() {
        return (long) ALLOCATED.getOpaque(this);
    }

    /** Calls whose CPU time or allocation was measured (not those on virtual threads). */
    public long threadMetricCalls() {
        return (long) THREAD_METRIC_CALLS.getOpaque(this);
    }
}
