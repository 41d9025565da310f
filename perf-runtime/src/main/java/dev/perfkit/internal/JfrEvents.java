package dev.perfkit.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Emits {@code dev.perfkit.ProfiledCall} flight-recorder events, and costs one field read per call when no recording
 * wants them. Where the {@code jdk.jfr} module is absent, it stays off. Thread-safe.
 */
final class JfrEvents {

    private static final jdk.jfr.EventType TYPE;
    private static final MethodHandle BEGIN;
    private static final MethodHandle FINISH;

    static {
        jdk.jfr.EventType type = null;
        MethodHandle begin = null;
        MethodHandle finish = null;
        try {
            Class<?> event = Class.forName("dev.perfkit.profile.ProfiledCallEvent");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(event, MethodHandles.lookup());
            begin = lookup.findStatic(event, "begin", MethodType.methodType(event, Void.class))
                    .asType(MethodType.methodType(Object.class, Void.class));
            finish = lookup.findStatic(event, "finish", MethodType.methodType(void.class, Object.class,
                    String.class, long.class, long.class, Throwable.class));
            type = jdk.jfr.EventType.getEventType(event.asSubclass(jdk.jfr.Event.class));
        } catch (Throwable unavailable) {
            type = null;
        }
        TYPE = type;
        BEGIN = begin;
        FINISH = finish;
    }

    private JfrEvents() {
    }

    /** A begun event when a recording wants profiled-call events, else null. */
    static Object beginIfEnabled() {
        if (TYPE == null || !TYPE.isEnabled()) {
            return null;
        }
        try {
            return BEGIN.invokeExact((Void) null);
        } catch (Throwable t) {
            InternalErrors.report("JFR event", t);
            return null;
        }
    }

    static void finish(Object event, String metric, long cpuNanos, long allocatedBytes, Throwable failure) {
        try {
            FINISH.invokeExact(event, metric, cpuNanos, allocatedBytes, failure);
        } catch (Throwable t) {
            InternalErrors.report("JFR event", t);
        }
    }
}
