package dev.perfkit.internal;

import java.lang.reflect.Method;

/**
 * Where {@link JoinPoints} gets probes from: the registry woven code records into, bound with
 * {@link JoinPoints#bind(ProbeSource)} whenever a registry is installed. Implementations are thread-safe.
 */
public interface ProbeSource {

    /** Whether woven methods record at all; read on every call, so it must be a plain (volatile) read. */
    boolean isEnabled();

    /**
     * The probe of {@code method}, its timers created on first use, or null when no annotation rule reaches it
     * (a bridge method, say). Called once per join point, never while a lock of {@link JoinPoints} is held.
     *
     * @throws IllegalArgumentException when the method's annotation is invalid (a bad target, tag or sampling rate)
     */
    MethodProbe resolve(Method method);
}
