package dev.perfkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.perfkit.fixture.Fixtures.BadSampling;
import dev.perfkit.fixture.Fixtures.Sampled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code @Timed(sampleOneIn = N)} on compile-time woven fixtures: exact call and error counts, latencies for about one
 * call in N, the woven method's behaviour unchanged.
 */
@ExtendWith(FreshRegistry.class)
class SampledTimingTest {

    private static final int CALLS = 1_000_000;
    private static final int ONE_IN = 64;

    private static TimerSnapshot snapshot(String name) {
        return Perf.registry().snapshot(name).orElseThrow();
    }

    /**
     * Binomial(1e6, 1/64): mean 15,625, standard deviation 124. The bound of +-10% is 12 standard deviations: a
     * correct sampler falls outside it with probability below 1e-30, while a sampler off by a factor (every call,
     * none, one in 32 or 128) fails it.
     */
    private static void assertAboutOneIn64(long sampled, long calls) {
        double expected = (double) calls / ONE_IN;
        assertThat((double) sampled).as("sampled latencies of %d calls", calls)
                .isBetween(expected * 0.9, expected * 1.1);
    }

    @Test
    void sampledMethod_countsEveryCall_andRecordsTheLatencyOfAboutOneIn64() {
        Sampled sampled = new Sampled();
        long sum = 0;
        for (int i = 0; i < CALLS; i++) {
            sum += sampled.next();
        }

        TimerSnapshot snapshot = snapshot("sampled.next");
        assertThat(sum).isEqualTo((long) CALLS * (CALLS + 1) / 2); // every call ran, in order, once
        assertThat(snapshot.count()).isEqualTo(CALLS);
        assertThat(snapshot.errors()).isZero();
        assertThat(snapshot.sampleOneIn()).isEqualTo(ONE_IN);
        assertThat(snapshot.isSampled()).isTrue();
        assertAboutOneIn64(snapshot.sampledCount(), CALLS);
        assertThat(snapshot.histogram().getTotalCount()).isEqualTo(snapshot.sampledCount());
        assertThat(snapshot.p50()).isPositive();
    }

    @Test
    void sampledMethod_totalIsTheSampledMeanScaledToEveryCall() {
        Sampled sampled = new Sampled();
        for (int i = 0; i < CALLS; i++) {
            sampled.next();
        }

        TimerSnapshot snapshot = snapshot("sampled.next");
        double sampledMean = (double) snapshot.histogram().getMean();
        // HdrHistogram's mean uses bucket midpoints: equal to the exact mean within the histogram's precision (1%).
        assertThat(snapshot.mean()).isCloseTo(sampledMean, org.assertj.core.data.Percentage.withPercentage(2));
        assertThat((double) snapshot.total()).isCloseTo(snapshot.mean() * CALLS,
                org.assertj.core.data.Offset.offset(1.0));
    }

    @Test
    void sampledMethodCalledRarely_measuresItsFirstCalls() {
        Sampled sampled = new Sampled();
        for (int i = 0; i < 10; i++) {
            sampled.next();
        }

        TimerSnapshot snapshot = snapshot("sampled.next");
        assertThat(snapshot.count()).isEqualTo(10);
        assertThat(snapshot.sampledCount()).isEqualTo(10);
        assertThat(snapshot.p50()).isPositive();
    }

    @Test
    void unsampledMethod_recordsEveryLatency() {
        Sampled sampled = new Sampled();
        for (int i = 0; i < 10_000; i++) {
            sampled.always();
        }

        TimerSnapshot snapshot = snapshot("sampled.always");
        assertThat(snapshot.count()).isEqualTo(10_000);
        assertThat(snapshot.sampledCount()).isEqualTo(10_000);
        assertThat(snapshot.sampleOneIn()).isEqualTo(1);
        assertThat(snapshot.isSampled()).isFalse();
    }

    @Test
    void sampledPrimitiveResult_isUnchanged() {
        Sampled sampled = new Sampled();
        for (int i = 0; i < 1_000; i++) {
            assertThat(sampled.hypot(3.0 * i, 4.0 * i)).isEqualTo(5.0 * i);
        }
        assertThat(snapshot("sampled.hypot").count()).isEqualTo(1_000);
    }

    @Test
    void sampledMethodThatThrows_countsEveryErrorExactly_andRethrowsTheSameInstance() {
        Sampled sampled = new Sampled();
        IllegalStateException failure = new IllegalStateException("every tenth call");
        int calls = 200_000;
        int failures = 0;
        for (int i = 0; i < calls; i++) {
            boolean fail = i % 10 == 0;
            Throwable thrown = catchThrowable(() -> sampled.throwIfGiven(7, fail ? failure : null));
            if (fail) {
                assertThat(thrown).isSameAs(failure);
                failures++;
            } else {
                assertThat(thrown).isNull();
            }
        }

        TimerSnapshot snapshot = snapshot("sampled.thrower");
        assertThat(snapshot.count()).isEqualTo(calls);
        assertThat(snapshot.errors()).isEqualTo(failures);
        assertThat(snapshot.errorsByType()).containsEntry(IllegalStateException.class.getName(), (long) failures);
        assertAboutOneIn64(snapshot.sampledCount(), calls);
    }

    @Test
    void sampledMethodOnManyThreads_countsEveryCall() throws InterruptedException {
        Sampled sampled = new Sampled();
        int threads = 4;
        int perThread = CALLS / threads;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    sampled.hypot(i, i);
                }
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }

        TimerSnapshot snapshot = snapshot("sampled.hypot");
        assertThat(snapshot.count()).isEqualTo((long) threads * perThread);
        assertAboutOneIn64(snapshot.sampledCount(), (long) threads * perThread);
    }

    @Test
    void intervalSnapshots_splitTheExactCountWithoutLoss() {
        Sampled sampled = new Sampled();
        IntervalReader reader = Perf.registry().newIntervalReader();
        for (int i = 0; i < 3_000; i++) {
            sampled.next();
        }
        long first = reader.read().stream().filter(s -> s.name().equals("sampled.next"))
                .mapToLong(TimerSnapshot::count).sum();
        for (int i = 0; i < 5_000; i++) {
            sampled.next();
        }
        long second = reader.read().stream().filter(s -> s.name().equals("sampled.next"))
                .mapToLong(TimerSnapshot::count).sum();

        assertThat(first).isEqualTo(3_000);
        assertThat(second).isEqualTo(5_000);
    }

    @Test
    void sampleRateNotAPowerOfTwo_failsValidationNamingMethodAndValue_butTheMethodStillRuns() {
        assertThatThrownBy(() -> Perf.registry().validate(BadSampling.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BadSampling.badSampling")
                .hasMessageContaining("sampleOneIn = 48");

        assertThat(new BadSampling().badSampling(9)).isEqualTo(9);
        assertThat(Perf.registry().find("bad.sampling")).isEmpty();
    }

    @Test
    void timerBuilder_rejectsARateThatIsNotAPowerOfTwo() {
        assertThatThrownBy(() -> Perf.registry().timerBuilder("x").sampleOneIn(3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3");
        assertThatThrownBy(() -> Perf.registry().timerBuilder("x").sampleOneIn(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void disabledRecording_countsNothing() {
        Sampled sampled = new Sampled();
        Perf.setEnabled(false);
        try {
            for (int i = 0; i < 1_000; i++) {
                sampled.next();
            }
        } finally {
            Perf.setEnabled(true);
        }
        sampled.next();

        assertThat(snapshot("sampled.next").count()).isEqualTo(1);
    }
}
