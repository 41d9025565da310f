package dev.perfkit.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where failures inside the library go instead of into the host: counted, and logged once per place.
 * Thread-safe.
 */
public final class InternalErrors {

    private static final Logger LOG = LoggerFactory.getLogger("dev.perfkit");
    private static final LongAdder COUNT = new LongAdder();
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private InternalErrors() {
    }

    /** Counts {@code failure} and logs it at ERROR the first time {@code where} reports one. Never throws. */
    public static void report(String where, Throwable failure) {
        COUNT.increment();
        try {
            if (LOGGED.size() < 1_000 && LOGGED.add(where)) {
                LOG.error("perfkit internal error in {} (measurement skipped; logged once)", where, failure);
            }
        } catch (RuntimeException | LinkageError ignored) {
            // Logging itself failed: nothing more we can do without reaching the host.
        }
    }

    /** Internal errors contained since start. */
    public static long count() {
        return COUNT.sum();
    }
}
