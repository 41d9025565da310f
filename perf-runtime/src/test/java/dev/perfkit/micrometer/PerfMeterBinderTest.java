package dev.perfkit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.perfkit.PerfConfig;
import dev.perfkit.PerfRegistry;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class PerfMeterBinderTest {

    @Test
    void timers_existingAndCreatedLater_appearInMicrometer_withExactCountTotalMaxAndPercentiles() {
        PerfRegistry registry = new PerfRegistry();
        registry.record("before.bind", 2_000_000);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        new PerfMeterBinder(registry, Duration.ZERO, 0.5, 0.99).bindTo(meters);
        registry.record("after.bind", 1_000);
        registry.record("after.bind", 3_000);
        registry.timer("after.bind").recordError(5_000, new RuntimeException());
        // The expected percentiles and max, from HdrHistogram itself with the registry's layout.
        Histogram reference = new Histogram(1, PerfConfig.DEFAULT_HIGHEST_TRACKABLE_VALUE,
                PerfConfig.DEFAULT_SIGNIFICANT_DIGITS);
        reference.recordValue(1_000);
        reference.recordValue(3_000);
        reference.recordValue(5_000);

        FunctionTimer before = meters.get("before.bind").functionTimer();
        assertThat(before.count()).isEqualTo(1);
        assertThat(before.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(2_000_000);
        FunctionTimer after = meters.get("after.bind").functionTimer();
        assertThat(after.count()).isEqualTo(3);
        assertThat(after.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(9_000);
        assertThat(meters.get("after.bind.errors").functionCounter().count()).isEqualTo(1);
        assertThat(meters.get("after.bind.max").gauge().value())
                .isCloseTo(reference.getMaxValue() / 1e9, within(1e-15));
        assertThat(meters.get("after.bind.percentile").tag("phi", "0.99").gauge().value())
                .isCloseTo(reference.getValueAtPercentile(99) / 1e9, within(1e-15));
        assertThat(meters.get("after.bind.percentile").tag("phi", "0.5").gauge().value())
                .isCloseTo(reference.getValueAtPercentile(50) / 1e9, within(1e-15));
    }
}
