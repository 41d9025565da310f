package dev.perfkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perfkit.fixture.Fixtures;
import dev.perfkit.fixture.Fixtures.Hot;
import dev.perfkit.fixture.VirtualThreadSupport;
import dev.perfkit.profile.PathProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A request per virtual thread, as Spring Boot 3.2+, Helidon 4 and Quarkus run them on JDK 21+: a million tasks, each
 * one woven call. Counts are exact and the heap the recorder keeps does not grow with the number of threads. Skipped,
 * with a message, on a JDK without virtual threads.
 */
@ExtendWith(FreshRegistry.class)
class VirtualThreadTest {

    private static final int TASKS = 1_000_000;
    /** Generous: the recorder itself needs a few KiB; the old per-thread cells retained over 1 GiB here. */
    private static final long RETAINED_BOUND_BYTES = 48L << 20;

    @Test
    void millionTimedCalls_onVirtualThreads_countExactly_andRetainBoundedHeap() throws Exception {
        Hot hot = new Hot();
        hot.next(); // resolve the join point and create the timer before the baseline
        long baseline = HeapProbe.usedAfterGc();

        try (VirtualThreadSupport.VirtualExecutor executor = VirtualThreadSupport.newVirtualThreadPerTaskExecutor()) {
            runTasks(executor, hot::next);
        }
        long retained = HeapProbe.usedAfterGc() - baseline; // before any read of the timer

        System.out.printf("virtual threads: %,d @Timed calls retain %,d bytes before any read%n", TASKS, retained);
        assertThat(retained).as("heap retained by %,d virtual-thread calls before any read", TASKS)
                .isLessThan(RETAINED_BOUND_BYTES);
        assertThat(Perf.registry().snapshot("hot.timed").orElseThrow().count()).isEqualTo(TASKS + 1L);
    }

    @Test
    void millionSampledCalls_onVirtualThreads_countExactly_andSampleAboutOneIn64() throws Exception {
        Fixtures.Sampled sampled = new Fixtures.Sampled();

        try (VirtualThreadSupport.VirtualExecutor executor = VirtualThreadSupport.newVirtualThreadPerTaskExecutor()) {
            runTasks(executor, sampled::next);
        }

        TimerSnapshot snapshot = Perf.registry().snapshot("sampled.next").orElseThrow();
        assertThat(snapshot.count()).isEqualTo(TASKS);
        // Binomial(1e6, 1/64) plus the first 64 calls: mean about 15,700, standard deviation 124; +-10% is 12 of them.
        double expected = TASKS / 64.0;
        assertThat((double) snapshot.sampledCount()).isBetween(expected * 0.9, expected * 1.1);
    }

    @Test
    void millionTimedCalls_onVirtualThreads_intervalReadsDuringTheRunAddUp() throws Exception {
        Hot hot = new Hot();
        PerfTimer timer = Perf.registry().timerBuilder("hot.timed").register();
        IntervalReader intervals = Perf.registry().newIntervalReader();
        AtomicLong intervalSum = new AtomicLong();
        AtomicInteger reads = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                intervalSum.addAndGet(countOf(intervals.read(), "hot.timed"));
                reads.incrementAndGet();
            }
        });

        try (VirtualThreadSupport.VirtualExecutor executor = VirtualThreadSupport.newVirtualThreadPerTaskExecutor()) {
            reader.start();
            runTasks(executor, hot::next);
        }
        done.set(true);
        reader.join();
        intervalSum.addAndGet(countOf(intervals.read(), "hot.timed"));

        assertThat(timer.snapshot().count()).isEqualTo(TASKS);
        assertThat(intervalSum.get()).as("sum of %d interval reads", reads.get() + 1).isEqualTo(TASKS);
        assertThat(reads.get()).as("reads taken while the tasks ran").isPositive();
        assertThat(timer.histogram().cellCount()).isLessThanOrEqualTo(
                dev.perfkit.internal.StripedHistogram.maxCells());
    }

    @Test
    void millionProfiledCalls_onVirtualThreads_recordLatencyAndTree_notCpu_andRetainBoundedHeap() throws Exception {
        Hot hot = new Hot();
        hot.profiled(); // one call on this platform thread: measured CPU and allocation
        long baseline = HeapProbe.usedAfterGc();

        try (VirtualThreadSupport.VirtualExecutor executor = VirtualThreadSupport.newVirtualThreadPerTaskExecutor()) {
            runTasks(executor, hot::profiled);
        }
        long retainedBeforeRead = HeapProbe.usedAfterGc() - baseline;
        List<PathProfile> paths = Perf.registry().profile().paths();
        long retainedAfterRead = HeapProbe.usedAfterGc() - baseline;

        System.out.printf("virtual threads: %,d @Profiled calls retain %,d bytes before a read, %,d after%n", TASKS,
                retainedBeforeRead, retainedAfterRead);
        assertThat(retainedBeforeRead).isLessThan(RETAINED_BOUND_BYTES);
        assertThat(retainedAfterRead).isLessThan(RETAINED_BOUND_BYTES);
        assertThat(Perf.registry().snapshot("hot.profiled").orElseThrow().count()).isEqualTo(TASKS + 1L);
        // The JDK has no CPU time or allocation counter per virtual thread: only the platform-thread call has them.
        assertThat(Perf.registry().snapshot("hot.profiled.cpu").orElseThrow().count()).isEqualTo(1);
        assertThat(Perf.registry().snapshot("hot.profiled.alloc").orElseThrow().count()).isEqualTo(1);
        assertThat(paths).hasSize(1);
        assertThat(paths.get(0).calls()).isEqualTo(TASKS + 1L);
        assertThat(paths.get(0).threadMetricCalls()).isEqualTo(1);
        assertThat(Perf.registry().profile().table(dev.perfkit.profile.SortKey.TOTAL, 5))
                .contains("cpu and alloc cover 1 of " + (TASKS + 1) + " calls");
    }

    @Test
    void nestedProfiledCalls_onVirtualThreads_keepTheirPath() throws Exception {
        dev.perfkit.fixture.Nested nested = new dev.perfkit.fixture.Nested(new ManualNanoClock());
        List<Future<?>> futures = new ArrayList<>();
        try (VirtualThreadSupport.VirtualExecutor executor = VirtualThreadSupport.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 1_000; i++) {
                futures.add(executor.submit(() -> {
                    assertThat(VirtualThreadSupport.isVirtual(Thread.currentThread())).isTrue();
                    nested.outer();
                }));
            }
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        }
        List<PathProfile> paths = Perf.registry().profile().paths();
        assertThat(paths).extracting(PathProfile::key).contains("nested.outer", "nested.outer;nested.inner");
        assertThat(paths).allSatisfy(p -> assertThat(p.calls()).isPositive());
        PathProfile outer = paths.stream().filter(p -> p.key().equals("nested.outer")).findFirst().orElseThrow();
        assertThat(outer.calls()).isEqualTo(1_000);
    }

    private static void runTasks(VirtualThreadSupport.VirtualExecutor executor, Runnable call) throws Exception {
        List<Future<?>> batch = new ArrayList<>(10_000);
        for (int i = 0; i < TASKS; i++) {
            batch.add(executor.submit(call));
            if (batch.size() == 10_000) {
                for (Future<?> future : batch) {
                    future.get(60, TimeUnit.SECONDS);
                }
                batch.clear();
            }
        }
        for (Future<?> future : batch) {
            future.get(60, TimeUnit.SECONDS);
        }
    }

    private static long countOf(List<TimerSnapshot> snapshots, String name) {
        return snapshots.stream().filter(s -> s.name().equals(name)).mapToLong(TimerSnapshot::count).sum();
    }
}
