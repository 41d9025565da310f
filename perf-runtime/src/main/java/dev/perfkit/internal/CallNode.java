package dev.perfkit.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One path in a thread's tree of nested {@code @Profiled} calls, with its totals. Written only by the owning thread
 * (opaque stores, as in {@link PerThreadHistogram}); read by any thread. Children are published with release/acquire
 * so a reader never sees a half-built child list.
 */
public final class CallNode {

    private static final VarHandle CALLS;
    private static final VarHandle TOTAL;
    private static final VarHandle SELF;
    private static final VarHandle CPU;
    private static final VarHandle ALLOCATED;
    private static final VarHandle CHILDREN;
    private static final VarHandle CHILD_COUNT;

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

    CallNode(String name, Object key, CallNode parent, boolean overflow) {
        this.name = name;
        this.key = key;
        this.parent = parent;
        this.overflow = overflow;
    }

    /** The child for {@code key}, or null. Owner thread only. */
    CallNode findChild(Object childKey) {
        CallNode[] array = children;
        for (int i = 0, n = childCount; i < n; i++) {
            if (array[i].key == childKey) {
                return array[i];
            }
        }
        return null;
    }

    /** Adds a child. Owner thread only. */
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

    /** Adds one completed call. Owner thread only. */
    void add(long total, long self, long cpu, long allocated) {
        CALLS.setOpaque(this, calls + 1);
        TOTAL.setOpaque(this, totalNanos + total);
        SELF.setOpaque(this, selfNanos + self);
        if (cpu > 0) {
            CPU.setOpaque(this, cpuNanos + cpu);
        }
        if (allocated > 0) {
            ALLOCATED.setOpaque(this, allocatedBytes + allocated);
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
}
