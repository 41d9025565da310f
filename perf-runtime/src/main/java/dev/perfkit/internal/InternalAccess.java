package dev.perfkit.internal;

import dev.perfkit.PerfRegistry;
import java.util.function.Function;

/**
 * Lets internal classes reach registry state that is not public API. {@link PerfRegistry} installs the accessor in
 * its static initialiser.
 */
public final class InternalAccess {

    private static volatile Function<PerfRegistry, CallTrees> callTrees;

    private InternalAccess() {
    }

    /** Called once by {@link PerfRegistry}. */
    public static void install(Function<PerfRegistry, CallTrees> accessor) {
        callTrees = accessor;
    }

    static CallTrees callTrees(PerfRegistry registry) {
        Function<PerfRegistry, CallTrees> accessor = callTrees;
        if (accessor == null) {
            try {
                Class.forName(PerfRegistry.class.getName(), true, PerfRegistry.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            accessor = callTrees;
        }
        return accessor.apply(registry);
    }
}
