package dev.perfkit.micrometer;

import dev.perfkit.PerfRegistry;
import dev.perfkit.export.PrometheusOptions;
import dev.perfkit.export.PrometheusSnapshots;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.reflect.Method;

/**
 * Adds the histograms of a {@link PerfRegistry} to the {@code PrometheusRegistry} under Micrometer's
 * {@code PrometheusMeterRegistry}, found reflectively so that neither micrometer-registry-prometheus nor the
 * Prometheus client is needed unless the application uses them. Each scrape reads fresh cumulative snapshots; it
 * never blocks writers.
 */
final class PrometheusCollector {

    private PrometheusCollector() {
    }

    /** Whether {@code meters} is Prometheus-backed and the collector was added. */
    static boolean register(MeterRegistry meters, PerfRegistry registry, PrometheusOptions options) {
        Object prometheusRegistry = prometheusRegistryOf(meters);
        if (prometheusRegistry == null) {
            return false;
        }
        return Model.register(prometheusRegistry, registry, options);
    }

    private static Object prometheusRegistryOf(MeterRegistry meters) {
        try {
            Class.forName("io.prometheus.metrics.model.registry.PrometheusRegistry", false,
                    PrometheusCollector.class.getClassLoader());
            Method getter = meters.getClass().getMethod("getPrometheusRegistry");
            return getter.invoke(meters);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            return null;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }

    /** The references to the Prometheus model, loaded only once it is known to be present. */
    private static final class Model {
        static boolean register(Object target, PerfRegistry registry, PrometheusOptions options) {
            if (!(target instanceof io.prometheus.metrics.model.registry.PrometheusRegistry prometheus)) {
                return false;
            }
            prometheus.register(() -> PrometheusSnapshots.distributionsOf(registry.snapshots(), options));
            return true;
        }
    }
}
