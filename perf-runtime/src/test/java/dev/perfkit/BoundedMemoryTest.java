package dev.perfkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perfkit.internal.StripedHistogram;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A servlet container's default pool (200 platform threads) recording into 100 timers: the heap a timer keeps is
 * bounded by the cores, not by the 200 threads, and every count is exact.
 */
@ExtendWith(FreshRegistry.class)
class BoundedMemoryTest {

    private static final int THREADS = 200;
    private static final int TIMERS = 100;
    private static final int VALUES_PER_THREAD_AND_TIMER = 200;
    private static final long MIN_NANOS = 1_000;
    private static final long MAX_NANOS = 10_000_000;

    @Test
    void poolOf200Threads_into100Timers_keepsHeapPerTimerBoundedByCores_andCountsExact() throws Exception {
        PerfRegistry registry = Perf.registry();
        long baseline = HeapProbe.usedAfterGc();
        List<PerfTimer> timers = new ArrayList<>();
        for (int k = 0; k < TIMERS; k++) {
            timers.add(registry.timer("pool.timer." + k));
        }

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch allStarted = new CountDownLatch(THREADS);
        List<Future<Long>> sums = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long seed = t;
            sums.add(pool.submit(() -> {
                allStarted.countDown();
                allStarted.await(); // every one of the 200 threads is alive and recording at once
                SplittableRandom random = new SplittableRandom(seed);
                long sum = 0;
                for (int i = 0; i < VALUES_PER_THREAD_AND_TIMER; i++) {
                    for (PerfTimer timer : timers) {
                        long value = logUniform(random);
                        timer.record(value);
                        sum += value;
                    }
                }
                return sum;
            }));
        }
        long expectedSum = 0;
        for (Future<Long> sum : sums) {
            expectedSum += sum.get(120, TimeUnit.SECONDS);
        }
        long perTimerBytes = (HeapProbe.usedAfterGc() - baseline) / TIMERS; // the pool's threads are still alive
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

        long totalSum = 0;
        for (PerfTimer timer : timers) {
            TimerSnapshot s = timer.snapshot();
            assertThat(s.count()).as(s.name()).isEqualTo((long) THREADS * VALUES_PER_THREAD_AND_TIMER);
            assertThat(timer.histogram().cellCount()).isLessThanOrEqualTo(StripedHistogram.maxCells());
            totalSum += s.total();
        }
        assertThat(totalSum).isEqualTo(expectedSum);
        // Values from 1 us to 10 ms fall into 14 power-of-two ranges of 1 KiB each; one set per cell, plus the
        // timer's own objects. The per-thread design kept 3,020 KiB per timer here.
        long bound = StripedHistogram.maxCells() * 15L * 1024 + 16 * 1024;
        assertThat(perTimerBytes).as("heap per timer with %d recording threads, %d cores", THREADS,
                Runtime.getRuntime().availableProcessors()).isLessThan(bound);
        System.out.printf("pool: %d threads x %d timers: %,d bytes of heap per timer (bound %,d)%n", THREADS, TIMERS,
                perTimerBytes, bound);
    }

    private static long logUniform(SplittableRandom random) {
        double exponent = Math.log(MIN_NANOS) + random.nextDouble() * (Math.log(MAX_NANOS) - Math.log(MIN_NANOS));
        return (long) Math.exp(exponent);
    }
}
