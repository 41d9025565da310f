package dev.perfkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perfkit.internal.StripedHistogram;
import dev.perfkit.fixture.Fixtures.Hot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Concurrent writers lose nothing, and interval snapshots taken during the run add up to the total. */
@ExtendWith(FreshRegistry.class)
class ConcurrencyTest {

    private static final int THREADS = 4;
    private static final int CALLS_PER_THREAD = 250_000;

    @Test
    void fourThreads_quarterMillionCallsEach_countExactlyOneMillion_andIntervalsSumToTotal() throws Exception {
        Hot hot = new Hot();
        Perf.registry().validate(Hot.class); // create the timer before the readers start
        IntervalReader reader = Perf.registry().newIntervalReader();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            writers.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < CALLS_PER_THREAD; i++) {
                    hot.next();
                }
                return null;
            }));
        }

        long intervalSum = 0;
        int intervalsDuringRun = 0;
        start.countDown();
        while (!writers.stream().allMatch(Future::isDone)) {
            intervalSum += countOf(reader.read(), "hot.timed");
            intervalsDuringRun++;
        }
        for (Future<?> writer : writers) {
            writer.get();
        }
        pool.shutdown();
        intervalSum += countOf(reader.read(), "hot.timed");

        long expected = (long) THREADS * CALLS_PER_THREAD;
        assertThat(Perf.registry().snapshot("hot.timed").orElseThrow().count()).isEqualTo(expected);
        assertThat(intervalSum).as("sum of %d interval reads", intervalsDuringRun + 1).isEqualTo(expected);
        assertThat(intervalsDuringRun).isPositive();
    }

    @Test
    void shortLivedThreads_leaveNoCells_andNothingIsLost() throws Exception {
        PerfTimer timer = Perf.registry().timer("churn");
        for (int round = 0; round < 20; round++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 1_000; i++) {
                    timer.record(i);
                }
            });
            thread.start();
            thread.join();
            timer.snapshot();
        }

        assertThat(timer.snapshot().count()).isEqualTo(20_000);
        assertThat(timer.histogram().cellCount()).isLessThanOrEqualTo(StripedHistogram.maxCells());
    }

    private static long countOf(List<TimerSnapshot> snapshots, String name) {
        return snapshots.stream().filter(s -> s.name().equals(name)).mapToLong(TimerSnapshot::count).sum();
    }
}
