package dev.perfkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perfkit.ManualNanoClock;
import org.junit.jupiter.api.Test;

class SlowCallLogTest {

    @Test
    void slowCalls_withinOneInterval_logOneLineAndCountTheRest() {
        ManualNanoClock clock = new ManualNanoClock();
        SlowCallLog log = new SlowCallLog("slow.path", 10_000_000_000L, clock);

        for (int i = 0; i < 1_000; i++) {
            log.slowCall(2_000_000, 1_000_000);
        }
        assertThat(log.suppressed()).isEqualTo(999);

        clock.advanceNanos(10_000_000_000L);
        log.slowCall(2_000_000, 1_000_000);
        assertThat(log.suppressed()).as("reported and reset by the next line").isZero();
    }

    @Test
    void durations_parseAndFormat() {
        assertThat(Durations.parseNanos("250ns")).isEqualTo(250);
        assertThat(Durations.parseNanos("10us")).isEqualTo(10_000);
        assertThat(Durations.parseNanos("1.5s")).isEqualTo(1_500_000_000);
        assertThat(Durations.parseNanos("2m")).isEqualTo(120_000_000_000L);
        assertThat(Durations.format(850)).isEqualTo("850 ns");
        assertThat(Durations.format(12_345)).isEqualTo("12.3 us");
        assertThat(Durations.format(4_560_000)).isEqualTo("4.56 ms");
        assertThat(Durations.format(1_230_000_000)).isEqualTo("1.23 s");
    }
}
