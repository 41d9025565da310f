package dev.perfkit.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Tells whether a thread is virtual, on any JDK from 17 on, from Java 17 bytecode: {@code Thread.isVirtual()} (JDK 21)
 * is found once through a method handle; where it does not exist, no thread is virtual. Thread-safe.
 */
final class VirtualThreads {

    /** {@code Thread.isVirtual()}, or null before JDK 21. A constant, so the JIT inlines the call. */
    private static final MethodHandle IS_VIRTUAL = find();

    private VirtualThreads() {
    }

    private static MethodHandle find() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }

    /** Whether {@code thread} is a virtual thread; never throws. */
    static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable t) {
            return false;
        }
    }
}
