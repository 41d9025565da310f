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
}
