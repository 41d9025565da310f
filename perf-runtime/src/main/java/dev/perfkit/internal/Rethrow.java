package dev.perfkit.internal;

/** Rethrows any throwable, checked or not, as the same instance. */
public final class Rethrow {

    private Rethrow() {
    }

    /**
     * Throws {@code failure} unchanged (same instance, same stack trace). Declared to return an exception so that
     * callers can write {@code throw Rethrow.unchecked(e)} and keep the compiler's flow analysis.
     */
    public static RuntimeException unchecked(Throwable failure) {
        throw Rethrow.<RuntimeException>sneaky(failure);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable failure) throws T {
        throw (T) failure;
    }
}
