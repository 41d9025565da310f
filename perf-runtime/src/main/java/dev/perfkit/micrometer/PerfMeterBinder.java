package dev.perfkit.micrometer;

import dev.perfkit.MetricUnit;
import dev.perfkit.PerfRegistry;
import dev.perfkit.PerfTimer;
import dev.perfkit.TimerSnapshot;
import dev.perfkit.export.PrometheusOptions;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Exposes every timer of a {@link PerfRegistry} to a Micrometer {@link MeterRegistry}, so that Prometheus, OTLP, JMX
 * and the rest of Micrometer's registries publish them unchanged. Timers created after binding appear too.
 *
 * <p>Per timer {@code name} (nanosecond timers): a {@link FunctionTimer} {@code name} (count and total time), a gauge
 * {@code name.max} (seconds), gauges {@code name.percentile} tagged {@code phi=0.5|0.9|0.99|0.999} (seconds, or the
 * percentiles given to the constructor), and a function counter {@code name.errors}. Allocation timers ({@code bytes})
 * get {@code name.count}, {@code name.total}, {@code name.max} and {@code name.percentile} with base unit bytes. Static
 * tags become Micrometer tags.
 *
 * <p><b>Buckets.</b> Micrometer cannot take a histogram from outside its own timers, so these meters carry no
 * buckets by themselves. When the registry is Micrometer's {@code PrometheusMeterRegistry} (with
 * {@code prometheus-metrics-model} on the class path), the binder instead adds a collector to its underlying
 * {@code PrometheusRegistry} that publishes each nanosecond timer as a histogram {@code name_seconds} (classic
 * {@code _bucket} series in the text formats, native buckets too in protobuf, exact {@code _sum} and {@code _count},
 * see {@link dev.perfkit.export.PrometheusSnapshots}) in place of the {@link FunctionTimer}, and each allocation
 * timer as a histogram {@code name_bytes}; the other meters stay. Registry-wide common tags of Micrometer are not
 * applied to that collector's series.
 *
 * <p>Meters read a cached cumulative snapshot, refreshed at most once per {@code maxSnapshotAge}, so that a scrape of
 * many meters costs one snapshot per timer. Thread-safe. Micrometer is an optional dependency of perf-runtime: only
 * this package needs it.
 */
public final class PerfMeterBinder implements MeterBinder {

    private static final double[] DEFAULT_PERCENTILES = {0.5, 0.9, 0.99, 0.999};

    private final PerfRegistry registry;
    private final double[] percentiles;
    private final long maxSnapshotAgeNanos;
    /** Micrometer holds function-meter state weakly; we hold it strongly for the registry's lifetime. */
    private final List<CachedSnapshot> states = new CopyOnWriteArrayList<>();
    private final PrometheusOptions prometheusOptions;

    /** Binds {@code registry} with the default percentiles and a snapshot age of one second. */
    public PerfMeterBinder(PerfRegistry registry) {
        this(registry, Duration.ofSeconds(1), DEFAULT_PERCENTILES);
    }

    /**
     * @param maxSnapshotAge how long a snapshot is reused across meter reads; zero reads afresh each time
     * @param percentiles    percentiles to publish, each in {@code (0, 1]}
     */
    public PerfMeterBinder(PerfRegistry registry, Duration maxSnapshotAge, double... percentiles) {
        this(registry, PrometheusOptions.forConfig(registry.config()), maxSnapshotAge, percentiles);
    }

    /**
     * @param prometheusOptions buckets and native schema of the histograms published on a Prometheus registry
     * @param maxSnapshotAge    how long a snapshot is reused across meter reads; zero reads afresh each time
     * @param percentiles       percentiles to publish, each in {@code (0, 1]}
     */
    public PerfMeterBinder(PerfRegistry registry, PrometheusOptions prometheusOptions, Duration maxSnapshotAge,
                           double... percentiles) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.prometheusOptions = Objects.requireNonNull(prometheusOptions, "prometheusOptions");
        this.maxSnapshotAgeNanos = maxSnapshotAge.toNanos();
        for (double p : percentiles) {
            if (!(p > 0 && p <= 1)) {
                throw new IllegalArgumentException("percentile must be in (0, 1], was " + p);
            }
        }
        this.percentiles = percentiles.clone();
    }

    @Override
    public void bindTo(MeterRegistry meterRegistry) {
        boolean histograms = PrometheusCollector.register(meterRegistry, registry, prometheusOptions);
        registry.onTimerAdded(timer -> bind(timer, meterRegistry, histograms));
    }

    private void bind(PerfTimer timer, MeterRegistry meters, boolean histograms) {
        CachedSnapshot state = new CachedSnapshot(timer, maxSnapshotAgeNanos);
        states.add(state);
        List<Tag> tags = tags(timer.id().tags());
        String name = timer.name();
        boolean bytes = timer.unit() == MetricUnit.BYTES;
        double scale = bytes ? 1.0 : 1e-9;
        String baseUnit = bytes ? "bytes" : "seconds";
        if (bytes) {
            FunctionCounter.builder(name + ".count", state, s -> s.get().count()).tags(tags)
                    .description(timer.id().description()).register(meters);
            FunctionCounter.builder(name + ".total", state, s -> s.get().total()).tags(tags).baseUnit(baseUnit)
                    .register(meters);
        } else {
            if (!histograms) {
                FunctionTimer.builder(name, state, s -> s.get().count(), s -> s.get().total(), TimeUnit.NANOSECONDS)
                        .tags(tags).description(timer.id().description()).register(meters);
            }
            FunctionCounter.builder(name + ".errors", state, s -> s.get().errors()).tags(tags).register(meters);
        }
        Gauge.builder(name + ".max", state, s -> s.get().max() * scale).tags(tags).baseUnit(baseUnit)
                .register(meters);
        for (double p : percentiles) {
            List<Tag> withPhi = new ArrayList<>(tags);
            withPhi.add(Tag.of("phi", Double.toString(p)));
            Gauge.builder(name + ".percentile", state, s -> s.get().valueAtPercentile(p * 100) * scale)
                    .tags(withPhi).baseUnit(baseUnit).register(meters);
        }
    }

    private static List<Tag> tags(Map<String, String> tags) {
        List<Tag> list = new ArrayList<>(tags.size());
        tags.forEach((k, v) -> list.add(Tag.of(k, v)));
        return list;
    }

    /** A timer's cumulative snapshot, reused for a short while. */
    private static final class CachedSnapshot {
        private final PerfTimer timer;
        private final long maxAgeNanos;
        private volatile TimerSnapshot snapshot;
        private volatile long takenNanos;

        CachedSnapshot(PerfTimer timer, long maxAgeNanos) {
            this.timer = timer;
            this.maxAgeNanos = maxAgeNanos;
        }

        TimerSnapshot get() {
            TimerSnapshot current = snapshot;
            long now = System.nanoTime();
            if (current == null || now - takenNanos >= maxAgeNanos) {
                current = timer.snapshot();
                snapshot = current;
                takenNanos = now;
            }
            return current;
        }
    }
}
