package dev.perfkit;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Installs a new global registry before each test and puts the previous one back after it. */
public final class FreshRegistry implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(FreshRegistry.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("previous", Perf.setRegistry(new PerfRegistry()));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Perf.setRegistry(context.getStore(NS).get("previous", PerfRegistry.class));
    }
}
