package dev.perfkit.examples.host;

import dev.perfkit.PerfRegistry;
import dev.perfkit.micrometer.PerfMeterBinder;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;

/** The same numbers through Micrometer: any MeterRegistry (Prometheus, OTLP, JMX...) would publish them. */
final class MicrometerView {

    private MicrometerView() {
    }

    static void print(PerfRegistry registry) {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        new PerfMeterBinder(registry).bindTo(meters);
        System.out.println("Micrometer bridge:");
        for (Meter meter : meters.getMeters()) {
            if (meter instanceof FunctionTimer timer) {
                System.out.printf("  %-24s count=%d mean=%.1f us%n", meter.getId().getName(), (long) timer.count(),
                        timer.mean(TimeUnit.MICROSECONDS));
            }
        }
    }
}
