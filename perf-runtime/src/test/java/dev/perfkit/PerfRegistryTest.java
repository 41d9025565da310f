package dev.perfkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerfRegistryTest {

    private final ManualNanoClock clock = new ManualNanoClock();
    private final PerfRegistry registry = new PerfRegistry(PerfConfig.builder().clock(clock).build());

    @Test
    void stopwatch_recordsElapsedClockTimeOnce() {
        Stopwatch watch = registry.start("block");
        clock.advanceNanos(1_500);
        watch.close();
        clock.advanceNanos(1_000_000);
        watch.close();

        TimerSnapshot snapshot = registry.snapshot("block").orElseThrow();
        assertThat(snapshot.count()).isEqualTo(1);
        assertThat(snapshot.total()).isEqualTo(1_500);
    }

    @Test
    void stopwatch_markedFailed_countsAnError() {
        try (Stopwatch watch = registry.start("block")) {
            watch.failed(new IllegalStateException());
        }

        assertThat(registry.snapshot("block").orElseThrow().errorsByType())
                .containsEntry(IllegalStateException.class.getName(), 1L);
    }

    @Test
    void record_negativeValue_isClampedToZeroAndCounted() {
        registry.record("clock.went.back", -5);

        TimerSnapshot snapshot = registry.snapshot("clock.went.back").orElseThrow();
        assertThat(snapshot.count()).isEqualTo(1);
        assertThat(snapshot.max()).isZero();
        assertThat(snapshot.clamped()).isEqualTo(1);
    }

    @Test
    void record_valueAboveRange_isClampedAndCounted() {
        registry.record("huge", Long.MAX_VALUE);
        registry.record("huge", 10);

        TimerSnapshot snapshot = registry.snapshot("huge").orElseThrow();
        assertThat(snapshot.count()).isEqualTo(2);
        assertThat(snapshot.clamped()).isEqualTo(1);
        assertThat(snapshot.max()).isGreaterThanOrEqualTo(PerfConfig.DEFAULT_HIGHEST_TRACKABLE_VALUE);
    }

    @Test
    void reset_restartsCumulativeSnapshots_butNotIntervals() {
        IntervalReader reader = registry.newIntervalReader();
        registry.record("t", 10);
        registry.reset();
        registry.record("t", 20);

        assertThat(registry.snapshot("t").orElseThrow().count()).isEqualTo(1);
        assertThat(registry.snapshot("t").orElseThrow().total()).isEqualTo(20);
        assertThat(reader.read().get(0).count()).isEqualTo(2);
    }

    @Test
    void intervalReaders_areIndependent() {
        IntervalReader first = registry.newIntervalReader();
        IntervalReader second = registry.newIntervalReader();
        registry.record("t", 1);
        assertThat(first.read().get(0).count()).isEqualTo(1);
        registry.record("t", 1);

        assertThat(first.read().get(0).count()).isEqualTo(1);
        assertThat(second.read().get(0).count()).isEqualTo(2);
        assertThat(first.read().get(0).count()).isZero();
    }

    @Test
    void targetStatus_comparesP99WithTarget() {
        PerfTimer fast = registry.timerBuilder("fast").target(Duration.ofMillis(1)).register();
        PerfTimer slow = registry.timerBuilder("slow").target(Duration.ofMillis(1)).register();
        PerfTimer idle = registry.timerBuilder("idle").target(Duration.ofMillis(1)).register();
        fast.record(500_000);
        slow.record(5_000_000);

        assertThat(fast.snapshot().targetStatus()).isEqualTo(TargetStatus.MET);
        assertThat(slow.snapshot().targetStatus()).isEqualTo(TargetStatus.MISSED);
        assertThat(idle.snapshot().targetStatus()).isEqualTo(TargetStatus.NO_DATA);
        assertThat(registry.timer("plain").snapshot().targetStatus()).isEqualTo(TargetStatus.NO_TARGET);
    }

    @Test
    void cap_routesNewNamesToOverflowTimer_andCountsThem() {
        PerfRegistry capped = new PerfRegistry(PerfConfig.builder().maxTimers(3).build());
        for (int i = 0; i < 10; i++) {
            capped.record("dynamic." + i, 100);
        }

        assertThat(capped.timers()).hasSize(4);
        assertThat(capped.overflowCount()).isEqualTo(7);
        assertThat(capped.snapshot(PerfRegistry.OVERFLOW_TIMER_NAME).orElseThrow().count()).isEqualTo(7);
        assertThat(capped.snapshot("dynamic.0").orElseThrow().count()).isEqualTo(1);
    }

    @Test
    void timers_areSortedByName_includeEveryTimerAdded_andEachListIsTheCallersOwn() throws Exception {
        registry.timer("b.second");
        registry.timer("a.first");
        List<PerfTimer> first = registry.timers();
        first.clear(); // the caller's copy: the next list is whole

        assertThat(registry.timers()).extracting(PerfTimer::name).containsExactly("a.first", "b.second");
        registry.timer("a.between");
        assertThat(registry.timers()).extracting(PerfTimer::name)
                .containsExactly("a.between", "a.first", "b.second");

        // timers added by other threads while lists are taken: the list after they finish holds them all
        Thread[] adders = new Thread[4];
        for (int t = 0; t < adders.length; t++) {
            int id = t;
            adders[t] = new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    registry.timer("c.t" + id + "_" + i);
                }
            });
            adders[t].start();
        }
        while (adders[0].isAlive()) {
            registry.timers();
        }
        for (Thread adder : adders) {
            adder.join();
        }
        List<PerfTimer> all = registry.timers();
        assertThat(all).hasSize(3 + 4 * 500);
        assertThat(all).extracting(PerfTimer::name).isSorted();
    }

    @Test
    void badName_isRejectedWithTheValue() {
        assertThatThrownBy(() -> registry.timer("has space"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'has space'");
        assertThatThrownBy(() -> registry.timer(" "))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badConfig_isRejectedWithTheRange() {
        assertThatThrownBy(() -> PerfConfig.builder().numberOfSignificantValueDigits(7))
                .hasMessageContaining("1 to 3").hasMessageContaining("7");
        assertThatThrownBy(() -> PerfConfig.builder().maxTimers(0)).hasMessageContaining("was 0");
    }

    @Test
    void onTimerAdded_seesExistingAndLaterTimers() {
        registry.timer("before");
        List<String> seen = new ArrayList<>();
        registry.onTimerAdded(timer -> seen.add(timer.name()));
        registry.timer("after");
        registry.timer("after");

        assertThat(seen).containsExactly("before", "after");
    }

    @Test
    void snapshots_areSortedByName() {
        registry.timer("b");
        registry.timer("a");

        assertThat(registry.snapshots()).extracting(TimerSnapshot::name).containsExactly("a", "b");
    }
}
