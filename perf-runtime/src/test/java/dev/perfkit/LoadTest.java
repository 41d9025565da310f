package dev.perfkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perfkit.internal.StripedHistogram;
import dev.perfkit.export.HistogramLog;
import dev.perfkit.export.JsonReport;
import dev.perfkit.export.PrometheusText;
import dev.perfkit.export.TextReport;
import dev.perfkit.fixture.Fixtures.Hot;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many more recording threads than cores, many timers, every way of recording (timer, name look-up, error, woven
 * method) while readers keep taking interval snapshots, cumulative snapshots and all four exports. Nothing is lost or
 * counted twice (exact counts, errors and sums), cumulative readings never go backwards, the intervals of each reader
 * add up exactly to the totals, nothing throws, and memory stays bounded: at most one cell per core and timer, however
 * many threads record.
 *
 * <p>{@link #soak_recordsForTheConfiguredTime_nothingLost_memoryFlat()} is the same load for minutes, with thread
 * churn; it runs only when asked: {@code mvn -pl perf-runtime -am verify -Dtest=LoadTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dperfkit.soak.seconds=300}.
 */
@ExtendWith(FreshRegistry.class)
class LoadTest {

    static final int WRITERS = 8;
    static final int TIMERS = 50;
    static final int ROUNDS = 5_000;
    static final int WOVEN_CALLS_PER_WRITER = 25_000;
    /** Interval reads and export rounds (all snapshots, four exports, a log append) that must overlap the writes. */
    static final int MIN_INTERVAL_READS = 50;
    static final int MIN_EXPORTS = 5;
    private static final String SOAK_PROPERTY = "perfkit.soak.seconds";

    private static final RuntimeException FAILURE = new IllegalStateException("recorded failure");

    @Test
    void eightWritersFiftyTimers_withConcurrentReadersAndExports_exactTotalsAndIntervalsAddUp(@TempDir Path dir)
            throws Exception {
        PerfRegistry registry = Perf.registry();
        Hot hot = new Hot();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch writersDone = new CountDownLatch(WRITERS);
        AtomicLong intervalReads = new AtomicLong();
        AtomicLong exports = new AtomicLong();
        int[] roundsWritten = new int[WRITERS];

        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < WRITERS; t++) {
            int thread = t;
            writers.add(thread("writer-" + t, failures, () -> {
                start.await();
                try {
                    for (int i = 0; i < WOVEN_CALLS_PER_WRITER; i++) {
                        hot.next();
                    }
                    // At least ROUNDS rounds, and on until the readers have overlapped the writes many times over.
                    int round = 0;
                    while (round < ROUNDS || (failures.isEmpty()
                            && (intervalReads.get() < MIN_INTERVAL_READS || exports.get() < MIN_EXPORTS))) {
                        writeRounds(registry, thread, round, round + 100);
                        round += 100;
                    }
                    roundsWritten[thread] = round;
                } finally {
                    writersDone.countDown();
                }
            }));
        }

        IntervalReader intervals = registry.newIntervalReader();
        Map<String, long[]> intervalSums = new HashMap<>();           // name -> {count, total, errors}
        Thread intervalReader = thread("interval-reader", failures, () -> {
            start.await();
            do {
                addIntervals(intervals.read(), intervalSums);
                intervalReads.incrementAndGet();
            } while (writersDone.getCount() > 0);
        });

        Path log = dir.resolve("load.hlog");
        IntervalReader logIntervals = registry.newIntervalReader();
        Thread exporter = thread("exporter", failures, () -> {
            start.await();
            Map<String, long[]> lastCumulative = new HashMap<>();
            ObjectMapper json = new ObjectMapper();
            do {
                List<TimerSnapshot> snapshots = registry.snapshots();
                for (TimerSnapshot s : snapshots) {
                    long[] last = lastCumulative.getOrDefault(s.name(), new long[2]);
                    assertThat(s.count()).as("cumulative count of %s never decreases", s.name())
                            .isGreaterThanOrEqualTo(last[0]);
                    assertThat(s.total()).as("cumulative total of %s never decreases", s.name())
                            .isGreaterThanOrEqualTo(last[1]);
                    assertThat(s.errors()).isBetween(0L, s.count());
                    assertThat(registry.find(s.name()).orElseThrow().histogram().cellCount())
                            .as("cells of %s", s.name()).isLessThanOrEqualTo(StripedHistogram.maxCells());
                    lastCumulative.put(s.name(), new long[] {s.count(), s.total()});
                }
                assertThat(PrometheusText.render(snapshots).split("_count ", -1)).hasSize(snapshots.size() + 1);
                JsonNode timers = json.readTree(JsonReport.render(snapshots)).get("timers");
                assertThat(timers.size()).isEqualTo(snapshots.size());
                assertThat(TextReport.render(snapshots)).isNotEmpty();
                HistogramLog.append(log, logIntervals.read());
                exports.incrementAndGet();
            } while (writersDone.getCount() > 0);
        });

        start.countDown();
        for (Thread writer : writers) {
            writer.join();
        }
        intervalReader.join();
        exporter.join();
        assertThat(failures).as("exceptions in writers or readers").isEmpty();
        addIntervals(intervals.read(), intervalSums);
        HistogramLog.append(log, logIntervals.read());

        assertThat(registry.timers()).as("one timer per name, created concurrently").hasSize(TIMERS + 1);
        Expected expected = Expected.of(roundsWritten);
        long allCalls = 0;
        for (int k = 0; k < TIMERS; k++) {
            String name = name(k);
            TimerSnapshot s = registry.snapshot(name).orElseThrow();
            assertThat(s.count()).as(name).isEqualTo(java.util.Arrays.stream(roundsWritten).asLongStream().sum());
            assertThat(s.total()).as(name).isEqualTo(expected.totals[k]);
            assertThat(s.errors()).as(name).isEqualTo(expected.errors[k]);
            assertThat(s.histogram().getTotalCount()).isEqualTo(s.count());
            assertThat(intervalSums.get(name)).as("sum of %d interval reads of %s", intervalReads.get() + 1, name)
                    .containsExactly(s.count(), s.total(), s.errors());
            allCalls += s.count();
        }
        long wovenCalls = (long) WRITERS * WOVEN_CALLS_PER_WRITER;
        assertThat(registry.snapshot("hot.timed").orElseThrow().count()).isEqualTo(wovenCalls);
        assertThat(intervalSums.get("hot.timed")[0]).isEqualTo(wovenCalls);
        assertThat(allCalls).isGreaterThanOrEqualTo((long) WRITERS * TIMERS * ROUNDS);
        for (TimerSnapshot merged : HistogramLog.read(log)) {
            assertThat(merged.count()).as("log of %s", merged.name())
                    .isEqualTo(registry.snapshot(merged.name()).orElseThrow().count());
        }
        assertThat(intervalReads.get()).as("interval reads taken during the run").isGreaterThanOrEqualTo(
                MIN_INTERVAL_READS);
        assertThat(exports.get()).as("export rounds taken during the run").isGreaterThanOrEqualTo(MIN_EXPORTS);
        for (PerfTimer timer : registry.timers()) {
            assertThat(timer.histogram().cellCount()).as("cells of %s: bounded by the cores, not the %d writers",
                    timer.name(), WRITERS).isLessThanOrEqualTo(StripedHistogram.maxCells());
        }
        System.out.printf("load: %d writer threads on %d cores, %d timers, %,d values (%,d errors) + %,d woven calls; "
                        + "%d interval reads and %d export rounds during the run; exact totals%n", WRITERS,
                Runtime.getRuntime().availableProcessors(), TIMERS, allCalls,
                java.util.Arrays.stream(expected.errors).sum(), wovenCalls, intervalReads.get(), exports.get());
    }

    @Test
    void soak_recordsForTheConfiguredTime_nothingLost_memoryFlat() throws Exception {
        String seconds = System.getProperty(SOAK_PROPERTY);
        assumeTrue(seconds != null, "soak test: runs only with -D" + SOAK_PROPERTY
                + "=N, e.g. mvn -pl perf-runtime test -Dtest=LoadTest -D" + SOAK_PROPERTY + "=300 (see RELIABILITY.md)");
        long deadline = System.nanoTime() + Long.parseLong(seconds) * 1_000_000_000L;
        PerfRegistry registry = Perf.registry();
        IntervalReader intervals = registry.newIntervalReader();
        Map<String, long[]> intervalSums = new HashMap<>();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        LongAdder rounds = new LongAdder();
        long baselineHeap = -1;
        long maxHeapGrowth = 0;
        int epochs = 0;
        int roundsPerEpoch = 500;
        long[] expectedTotals = new long[TIMERS];
        long[] expectedErrors = new long[TIMERS];
        while (System.nanoTime() < deadline || epochs < 2) {
            // A new set of writer threads per epoch: thread churn, like a host's request pool recycling threads.
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            CountDownLatch writersDone = new CountDownLatch(WRITERS);
            int firstRound = epochs * roundsPerEpoch;
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < WRITERS; t++) {
                int thread = t;
                writers.add(thread("soak-writer-" + epochs + "-" + t, failures, () -> {
                    try {
                        writeRounds(registry, thread, firstRound, firstRound + roundsPerEpoch);
                        rounds.add(roundsPerEpoch);
                    } finally {
                        writersDone.countDown();
                    }
                }));
            }
            do {
                addIntervals(intervals.read(), intervalSums);
                PrometheusText.render(registry.snapshots());
            } while (writersDone.getCount() > 0);
            for (Thread writer : writers) {
                writer.join();
            }
            assertThat(failures).isEmpty();
            addIntervals(intervals.read(), intervalSums);
            epochs++;

            Expected epoch = Expected.of(WRITERS, firstRound, firstRound + roundsPerEpoch);
            for (int k = 0; k < TIMERS; k++) {
                expectedTotals[k] += epoch.totals[k];
                expectedErrors[k] += epoch.errors[k];
                TimerSnapshot s = registry.snapshot(name(k)).orElseThrow();
                assertThat(s.count()).isEqualTo((long) WRITERS * epochs * roundsPerEpoch);
                assertThat(s.total()).isEqualTo(expectedTotals[k]);
                assertThat(s.errors()).isEqualTo(expectedErrors[k]);
                assertThat(intervalSums.get(name(k))).containsExactly(s.count(), s.total(), s.errors());
                assertThat(registry.find(name(k)).orElseThrow().histogram().cellCount())
                        .isLessThanOrEqualTo(StripedHistogram.maxCells());
            }
            long heap = usedHeapAfterGc(memory);
            if (epochs == 1) {
                baselineHeap = heap;
            }
            maxHeapGrowth = Math.max(maxHeapGrowth, heap - baselineHeap);
            assertThat(heap - baselineHeap).as("heap growth after %d epochs", epochs).isLessThan(32L << 20);
        }
        System.out.printf("soak: %s s, %d epochs of %d fresh writer threads, %d timers, %,d values recorded, "
                        + "exact totals, max heap growth %,d bytes%n", seconds, epochs, WRITERS, TIMERS,
                rounds.sum() * TIMERS, maxHeapGrowth);
    }

    /** Thread {@code thread}'s rounds: in each, one value into every timer, rotating so threads collide. */
    static void writeRounds(PerfRegistry registry, int thread, int fromRound, int toRound) {
        PerfTimer[] timers = new PerfTimer[TIMERS];
        for (int round = fromRound; round < toRound; round++) {
            for (int j = 0; j < TIMERS; j++) {
                int k = (j + thread) % TIMERS;
                long value = valueOf(round, j);
                switch (j % 3) {
                    case 0 -> registry.record(name(k), value);                  // look-up by name each time
                    case 1 -> {
                        if (timers[k] == null) {
                            timers[k] = registry.timer(name(k));
                        }
                        timers[k].record(value);
                    }
                    default -> registry.timer(name(k)).recordError(value, FAILURE);
                }
            }
        }
    }

    static long valueOf(int round, int j) {
        return 1 + (round % 4_096) * 977L + j;
    }

    private static final String[] NAMES = new String[TIMERS];

    static {
        for (int k = 0; k < TIMERS; k++) {
            NAMES[k] = String.format("load.timer.%02d", k);
        }
    }

    static String name(int k) {
        return NAMES[k];
    }

    /** Exact totals and error counts per timer, by replaying the writers' schedule on one thread. */
    record Expected(long[] totals, long[] errors) {
        static Expected of(int writers, int fromRound, int toRound) {
            int[] from = new int[writers];
            int[] to = new int[writers];
            java.util.Arrays.fill(from, fromRound);
            java.util.Arrays.fill(to, toRound);
            return of(from, to);
        }

        /** Thread {@code t} wrote rounds 0 to {@code roundsWritten[t]}. */
        static Expected of(int[] roundsWritten) {
            return of(new int[roundsWritten.length], roundsWritten);
        }

        static Expected of(int[] fromRound, int[] toRound) {
            long[] totals = new long[TIMERS];
            long[] errors = new long[TIMERS];
            for (int thread = 0; thread < fromRound.length; thread++) {
                for (int round = fromRound[thread]; round < toRound[thread]; round++) {
                    for (int j = 0; j < TIMERS; j++) {
                        int k = (j + thread) % TIMERS;
                        totals[k] += valueOf(round, j);
                        if (j % 3 == 2) {
                            errors[k]++;
                        }
                    }
                }
            }
            return new Expected(totals, errors);
        }
    }

    private static void addIntervals(List<TimerSnapshot> snapshots, Map<String, long[]> sums) {
        for (TimerSnapshot s : snapshots) {
            assertThat(s.count()).isNotNegative();
            long[] sum = sums.computeIfAbsent(s.name(), n -> new long[3]);
            sum[0] += s.count();
            sum[1] += s.total();
            sum[2] += s.errors();
        }
    }

    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }

    private static Thread thread(String name, ConcurrentLinkedQueue<Throwable> failures, Body body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failures.add(t);
            }
        }, name);
        thread.start();
        return thread;
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
