package dev.perfkit;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Installs a registry as the global one before each test and puts the previous one back after it: a new default
 * registry with {@code @ExtendWith(FreshRegistry.class)}, or a given one (e.g. with a manual clock) with
 * {@code @RegisterExtension final FreshRegistry installed = new FreshRegistry(registry);}.
 */
public final class FreshRegistry implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(FreshRegistry.class);

    private final Supplier<PerfRegistry> registry;

    public FreshRegistry() {
        this.registry = PerfRegistry::new;
    }

    public FreshRegistry(PerfRegistry registry) {
        this.registry = () -> registry;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("previous", Perf.setRegistry(registry.get()));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Perf.setRegistry(context.getStore(NS).get("previous", PerfRegistry.class));
    }
}
