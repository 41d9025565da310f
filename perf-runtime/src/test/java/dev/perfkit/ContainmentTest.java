package dev.perfkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.perfkit.fixture.Fixtures.Contained;
import dev.perfkit.internal.InternalErrors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Failures of the library's own collaborators (a user clock, a timer listener) never reach the woven method's caller:
 * the method returns its own value or throws its own exception, and the failure is counted as internal.
 */
class ContainmentTest {

    /** A clock that throws on one chosen reading: the next one ({@link #failEntry()}) or the one after. */
    static final class FailingClock implements NanoClock {
        private final AtomicLong readings = new AtomicLong();
        private volatile long failAt = Long.MAX_VALUE;

        @Override
        public long nanoTime() {
            if (readings.incrementAndGet() == failAt) {
                throw new IllegalStateException("clock broke");
            }
            return System.nanoTime();
        }

        /** The next woven call's entry reading throws. */
        void failEntry() {
            failAt = readings.get() + 1;
        }

        /** The next woven call's exit reading throws (its entry reading works). */
        void failExit() {
            failAt = readings.get() + 2;
        }
    }

    private final FailingClock clock = new FailingClock();
    private final Contained contained = new Contained();

    @RegisterExtension
    final FreshRegistry installed = new FreshRegistry(new PerfRegistry(PerfConfig.builder().clock(clock).build()));

    @BeforeEach
    void resolveJoinPoints() {
        contained.timed(0);
        contained.profiled("");
        catchThrowable(() -> contained.thrower(new IllegalStateException()));
    }

    @Test
    void clockThrowingAtEntry_wovenMethodsReturnTheirValues_unmeasured() {
        long errorsBefore = InternalErrors.count();

        clock.failEntry();
        int timed = contained.timed(41);
        clock.failEntry();
        String profiled = contained.profiled("ok");

        assertThat(timed).isEqualTo(42);
        assertThat(profiled).isEqualTo("ok!");
        assertThat(InternalErrors.count()).isEqualTo(errorsBefore + 2);
        assertThat(Perf.registry().snapshot("contained.timed").orElseThrow().count()).as("unmeasured").isEqualTo(1);
        assertThat(Perf.registry().snapshot("contained.profiled").orElseThrow().count()).isEqualTo(1);
    }

    @Test
    void clockThrowingAtExit_wovenMethodsReturnTheirValues_andExceptionsStayTheirOwn() {
        long errorsBefore = InternalErrors.count();
        IllegalArgumentException failure = new IllegalArgumentException("its own");

        clock.failExit();
        int timed = contained.timed(1);
        clock.failExit();
        String profiled = contained.profiled("x");
        clock.failExit();
        Throwable thrown = catchThrowable(() -> contained.thrower(failure));
        String again = contained.profiled("y"); // the failed exit left the call stack clean

        assertThat(timed).isEqualTo(2);
        assertThat(profiled).isEqualTo("x!");
        assertThat(thrown).isSameAs(failure);
        assertThat(again).isEqualTo("y!");
        assertThat(InternalErrors.count()).isEqualTo(errorsBefore + 3);
        assertThat(Perf.registry().snapshot("contained.profiled").orElseThrow().count()).isEqualTo(2);
        assertThat(Perf.registry().profile().paths()).singleElement()
                .satisfies(p -> assertThat(p.calls()).isEqualTo(2));
    }

    @Test
    void throwingTimerListener_doesNotReachTheWovenMethod_andTheTimerStillRecords() {
        PerfRegistry registry = new PerfRegistry();
        long errorsBefore = InternalErrors.count();
        registry.onTimerAdded(timer -> {
            throw new IllegalStateException("listener broke on " + timer.name());
        });
        PerfRegistry previous = Perf.setRegistry(registry);
        try {
            Contained contained = new Contained();

            assertThat(contained.timed(1)).isEqualTo(2);
            assertThat(contained.timed(2)).isEqualTo(3);

            assertThat(registry.snapshot("contained.timed").orElseThrow().count()).isEqualTo(2);
            assertThat(InternalErrors.count()).isEqualTo(errorsBefore + 1);
        } finally {
            Perf.setRegistry(previous);
        }
    }

    @Test
    void listenerCallingAnotherWovenMethod_whileAJoinPointResolves_bothAreTimed() {
        PerfRegistry registry = new PerfRegistry();
        Contained contained = new Contained();
        AtomicInteger innerResults = new AtomicInteger();
        registry.onTimerAdded(timer -> {
            if (timer.name().equals("contained.timed")) {
                innerResults.addAndGet(contained.inner(5)); // resolves another join point from inside a resolution
            }
        });
        PerfRegistry previous = Perf.setRegistry(registry);
        try {
            long errorsBefore = InternalErrors.count();

            int result = contained.timed(10);

            assertThat(result).isEqualTo(11);
            assertThat(innerResults.get()).isEqualTo(15);
            assertThat(registry.snapshot("contained.timed").orElseThrow().count()).isEqualTo(1);
            assertThat(registry.snapshot("contained.inner").orElseThrow().count()).isEqualTo(1);
            assertThat(InternalErrors.count()).isEqualTo(errorsBefore);
        } finally {
            Perf.setRegistry(previous);
        }
    }
}
