package dev.perfkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perfkit.export.HistogramLog;
import dev.perfkit.export.JsonReport;
import dev.perfkit.export.PrometheusText;
import dev.perfkit.export.TextReport;
import dev.perfkit.fixture.ClockJumps;
import dev.perfkit.internal.InternalErrors;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values at and beyond the edges of the histogram's range, through every way a value gets in: woven methods (timed,
 * profiled, throwing) whose clock stands still, runs backwards (to {@code Long.MIN_VALUE}) or jumps past the highest
 * trackable value (to {@code Long.MAX_VALUE}), and stopwatches on such a clock. Each value is counted, clamped into
 * {@code [0, highestTrackableValue]} and counted as clamped; totals stay exact; exports still render; nothing reaches
 * the host but its own return value or exception.
 */
class HistogramRangeTest {

    private static final long HIGHEST = PerfConfig.DEFAULT_HIGHEST_TRACKABLE_VALUE;
    /** Jumps of the clock during one call, and what the histogram must hold for each. */
    private static final long[] JUMPS = {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, HIGHEST, HIGHEST + 1, 1_000};
    private static final long CLAMPED_JUMPS = 4; // -1, MIN_VALUE, MAX_VALUE, HIGHEST + 1
    private static final long EXACT_TOTAL = 3 * HIGHEST + 1_000; // 0, 0, 0, HIGHEST, HIGHEST, HIGHEST, 1000

    private final ManualNanoClock clock = new ManualNanoClock(1_000_000_000L);
    private final PerfRegistry registry = new PerfRegistry(PerfConfig.builder().clock(clock).build());
    private final ClockJumps jumps = new ClockJumps();
    @RegisterExtension
    final FreshRegistry installed = new FreshRegistry(registry);

    @Test
    void wovenTimedMethod_clockAtRestBackwardsAndBeyondRange_isClampedCountedAndNeverThrows() {
        long internalErrorsBefore = InternalErrors.count();
        for (long jump : JUMPS) {
            assertThat(jumps.jump(clock, jump)).isEqualTo(jump);
        }

        TimerSnapshot s = registry.snapshot("clock.jump").orElseThrow();
        assertThat(s.count()).isEqualTo(JUMPS.length);
        assertThat(s.clamped()).isEqualTo(CLAMPED_JUMPS);
        assertThat(s.total()).isEqualTo(EXACT_TOTAL);
        assertThat(s.min()).isZero();
        assertThat(s.max()).isGreaterThanOrEqualTo(HIGHEST);
        assertThat(s.histogram().getCountAtValue(0)).isEqualTo(3);
        assertThat(InternalErrors.count()).as("nothing had to be contained").isEqualTo(internalErrorsBefore);
    }

    @Test
    void wovenProfiledMethod_clockBackwardsAndBeyondRange_latencyClampedAndCounted() {
        for (long jump : JUMPS) {
            assertThat(jumps.jumpProfiled(clock, jump)).isEqualTo(jump);
        }

        TimerSnapshot latency = registry.snapshot("clock.jump.profiled").orElseThrow();
        assertThat(latency.count()).isEqualTo(JUMPS.length);
        assertThat(latency.clamped()).isEqualTo(CLAMPED_JUMPS);
        assertThat(latency.total()).isEqualTo(EXACT_TOTAL);
        assertThat(registry.snapshot("clock.jump.profiled.cpu").orElseThrow().count()).isEqualTo(JUMPS.length);
        assertThat(registry.snapshot("clock.jump.profiled.alloc").orElseThrow().count()).isEqualTo(JUMPS.length);
    }

    @Test
    void wovenMethodThatThrows_clockBackwards_sameExceptionReachesCaller_andTheErrorIsClampedAndCounted() {
        for (long jump : new long[] {-1, Long.MIN_VALUE, Long.MAX_VALUE}) {
            IllegalStateException failure = new IllegalStateException("host failure " + jump);

            Throwable thrown = catchThrowable(() -> jumps.jumpAndThrow(clock, jump, failure));

            assertThat(thrown).isSameAs(failure);
        }

        TimerSnapshot s = registry.snapshot("clock.jump.throws").orElseThrow();
        assertThat(s.count()).isEqualTo(3);
        assertThat(s.errors()).isEqualTo(3);
        assertThat(s.clamped()).isEqualTo(3);
        assertThat(s.errorsByType()).containsEntry(IllegalStateException.class.getName(), 3L);
    }

    @Test
    void stopwatch_clockBackwardsOrFarAhead_isClampedAndCounted() {
        Stopwatch backwards = registry.start("watch");
        clock.advanceNanos(-5_000);
        backwards.close();
        Stopwatch farAhead = registry.start("watch");
        clock.advanceNanos(Long.MAX_VALUE);
        farAhead.close();
        Stopwatch ordinary = registry.start("watch");
        clock.advanceNanos(2_500);
        ordinary.close();

        TimerSnapshot s = registry.snapshot("watch").orElseThrow();
        assertThat(s.count()).isEqualTo(3);
        assertThat(s.clamped()).isEqualTo(2);
        assertThat(s.total()).isEqualTo(HIGHEST + 2_500);
    }

    @Test
    void directRecording_everyLongEdge_isClampedIntoIntervalsAndExportsStillRender(@TempDir Path dir)
            throws Exception {
        IntervalReader reader = registry.newIntervalReader();
        PerfTimer timer = registry.timer("edges");
        long[] values = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, 1, HIGHEST - 1, HIGHEST, HIGHEST + 1,
                Long.MAX_VALUE - 1, Long.MAX_VALUE};
        for (long value : values) {
            registry.record("edges", value);
            timer.recordError(value, null);
        }

        List<TimerSnapshot> intervals = reader.read();
        TimerSnapshot interval = intervals.get(0);
        assertThat(interval.count()).isEqualTo(2L * values.length);
        assertThat(interval.clamped()).isEqualTo(2L * 6);
        assertThat(interval.errors()).isEqualTo(values.length);
        assertThat(interval.total()).isEqualTo(2 * (1 + (HIGHEST - 1) + HIGHEST + 3 * HIGHEST));

        assertThat(PrometheusText.render(intervals)).contains("edges_seconds_count 20");
        assertThat(new ObjectMapper().readTree(JsonReport.render(intervals)).get("timers").get(0).get("count")
                .asLong()).isEqualTo(20);
        assertThat(TextReport.render(intervals)).contains("edges");
        Path log = dir.resolve("edges.hlog");
        HistogramLog.append(log, intervals);
        assertThat(HistogramLog.read(log).get(0).count()).isEqualTo(20);
    }
}
