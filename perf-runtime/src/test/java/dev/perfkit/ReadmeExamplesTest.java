package dev.perfkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perfkit.annotation.Timed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's quick start, compiled and woven like a host's code. Keep the two in step. */
@ExtendWith(FreshRegistry.class)
class ReadmeExamplesTest {

    record Order(long cents) {
    }

    record Receipt(long cents) {
    }

    public static class Checkout {
        @Timed(value = "checkout.pay", target = "5ms")
        public Receipt pay(Order order) {
            return new Receipt(order.cents());
        }
    }

    @Test
    void quickStart_recordsAndReadsASnapshot() {
        new Checkout().pay(new Order(1_250));

        TimerSnapshot pay = Perf.registry().snapshot("checkout.pay").orElseThrow();
        System.out.printf("%d calls, p99 %d ns, target %s%n", pay.count(), pay.p99(), pay.targetStatus().label());

        assertThat(pay.count()).isEqualTo(1);
        assertThat(pay.id().target()).isEqualTo(5_000_000);
    }

    @Test
    void codeWithoutAnnotations_usesStopwatchAndRecord() {
        try (Stopwatch watch = Perf.start("import.parse")) {
            assertThat(watch.elapsedNanos()).isNotNegative();
        }
        Perf.record("queue.wait", 1_500);

        assertThat(Perf.registry().snapshot("import.parse").orElseThrow().count()).isEqualTo(1);
        assertThat(Perf.registry().snapshot("queue.wait").orElseThrow().total()).isEqualTo(1_500);
    }
}
