package dev.perfkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A host that makes up a new metric name for every request (an id, a URL, a user name in the name) hits the
 * documented cap ({@link PerfConfig#maxTimers()}): later names record into {@value PerfRegistry#OVERFLOW_TIMER_NAME},
 * every value is still counted exactly once, the overflow is counted and logged once, and the heap does not grow with
 * the number of names beyond the cap.
 */
class RunawayNamesTest {

    private static final String LOG_LINE = "timer names;";

    @Test
    void fiftyThousandNames_capOfHundred_overflowCountedExactlyAndLoggedOnce() {
        PerfRegistry registry = new PerfRegistry(PerfConfig.builder().maxTimers(100).build());
        String log = capturingStderr(() -> {
            for (int i = 0; i < 50_000; i++) {
                registry.record("request.user_" + i, 1_000 + i);
            }
            registry.record("request.user_0", 5); // a name admitted before the cap keeps its own timer
        });

        assertThat(registry.timers()).hasSize(100 + 1);
        assertThat(registry.overflowCount()).isEqualTo(49_900);
        TimerSnapshot overflow = registry.snapshot(PerfRegistry.OVERFLOW_TIMER_NAME).orElseThrow();
        assertThat(overflow.count()).isEqualTo(49_900);
        assertThat(overflow.total()).isEqualTo(sumOf(1_000 + 100, 1_000 + 49_999));
        assertThat(registry.snapshot("request.user_0").orElseThrow().count()).isEqualTo(2);
        assertThat(registry.find("request.user_100")).isEmpty();
        assertThat(totalCount(registry)).as("every value counted once").isEqualTo(50_001);
        assertThat(occurrences(log, LOG_LINE)).as("overflow warnings in:%n%s", log).isEqualTo(1);
        assertThat(log).contains("more than 100 timer names").contains("'request.user_100'")
                .contains(PerfRegistry.OVERFLOW_TIMER_NAME);
    }

    @Test
    void runawayNamesFromEightThreads_everyValueCountedOnce_andTheNameMapStaysNearTheCap() throws Exception {
        int threads = 8;
        int namesPerThread = 5_000;
        int cap = 500;
        PerfRegistry registry = new PerfRegistry(PerfConfig.builder().maxTimers(cap).build());
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        String log = capturingStderr(() -> {
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Thread worker = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < namesPerThread; i++) {
                            registry.record("session." + thread + "." + i, 1);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                worker.start();
                workers.add(worker);
            }
            start.countDown();
            for (Thread worker : workers) {
                try {
                    worker.join();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        });

        assertThat(failures).isEmpty();
        long named = registry.timers().stream().filter(t -> !t.name().equals(PerfRegistry.OVERFLOW_TIMER_NAME))
                .count();
        // A slot under the cap is reserved atomically before a timer is created, so racing creators cannot overshoot.
        assertThat(named).isEqualTo(cap);
        long overflowed = registry.snapshot(PerfRegistry.OVERFLOW_TIMER_NAME).orElseThrow().count();
        assertThat(registry.overflowCount()).isEqualTo(overflowed);
        assertThat(named + overflowed).isEqualTo((long) threads * namesPerThread);
        assertThat(totalCount(registry)).as("every value counted once").isEqualTo((long) threads * namesPerThread);
        assertThat(occurrences(log, LOG_LINE)).as("overflow warnings").isEqualTo(1);
    }

    @Test
    void namesBeyondTheCap_doNotGrowTheHeap() {
        int cap = 200;
        PerfRegistry registry = new PerfRegistry(PerfConfig.builder().maxTimers(cap).build());
        IntervalReader reader = registry.newIntervalReader();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long empty = usedHeapAfterGc(memory);
        for (int i = 0; i < cap; i++) {
            registry.record("job." + i, 1_000 + i);
        }
        registry.snapshots();
        reader.read();
        long atCap = usedHeapAfterGc(memory);

        String log = capturingStderr(() -> {
            for (int i = cap; i < cap + 200_000; i++) {
                registry.record("job." + i, 1_000 + i);
            }
        });
        registry.snapshots();
        reader.read();
        long beyondCap = usedHeapAfterGc(memory);

        System.out.printf("runaway names: heap %,d B per timer up to the cap of %d; %+,d B for 200,000 names beyond "
                + "it%n", (atCap - empty) / cap, cap, beyondCap - atCap);
        assertThat(registry.overflowCount()).isEqualTo(200_000);
        assertThat(occurrences(log, LOG_LINE)).isEqualTo(1);
        assertThat(beyondCap - atCap).as("heap growth from 200,000 names beyond the cap (per timer at the cap: %,d B)",
                (atCap - empty) / cap).isLessThan(8L << 20);
    }

    private static long totalCount(PerfRegistry registry) {
        return registry.snapshots().stream().mapToLong(TimerSnapshot::count).sum();
    }

    private static long sumOf(long from, long to) {
        return (from + to) * (to - from + 1) / 2;
    }

    private static int occurrences(String text, String part) {
        Matcher matcher = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (matcher.find()) {
            n++;
        }
        return n;
    }

    /** Runs {@code body} with System.err captured (slf4j-simple writes there) and returns what was written. */
    private static String capturingStderr(Runnable body) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
