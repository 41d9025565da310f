package dev.perfkit.benchmarks;

import dev.perfkit.Perf;
import dev.perfkit.PerfRegistry;
import dev.perfkit.PerfTimer;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.HdrHistogram.Recorder;

/*
 * How much heap does a timer keep, against the number of recording threads, for perfkit, a Micrometer Timer with
 * percentiles and a bare HdrHistogram Recorder, measured side by side in one JVM? And what does a request per virtual
 * thread cost, in heap and in time, with a woven @Timed / @Profiled call each?
 *
 * Not JMH: the question is memory retained, read as heap in use after full collections (minus the same reading before
 * the scenario), which JMH does not measure. Each scenario builds its timers, records, takes the reading while its
 * threads are still alive (a pool keeps them), and releases everything before the next one.
 *
 *   platform   T platform threads (1, 8, 200: a servlet container's default pool) record values from 1 us to 10 ms
 *              (log-uniform) into 100 timers: heap per timer
 *   virtual    100,000 virtual threads, each 10 values into each of 10 timers: heap before a read, ns per value
 *   requests   1,000,000 virtual-thread tasks, each one woven call (@Timed; Micrometer's TimedAspect beside it;
 *              an unannotated method as the baseline): heap retained before the next read, tasks' time against the
 *              baseline's, and bytes allocated per task beyond the baseline's (all threads, carriers included)
 *   profiled   the same with @Profiled: heap retained before and after a profile read
 *
 * Virtual-thread scenarios need JDK 21+ (they are skipped, with a line saying so, before it). Run, from the repository
 * root, after mvn -pl benchmarks -am package:
 *   "$(.ci/newer-jdk)/bin/java" -Xmx4g -cp benchmarks/target/benchmarks.jar dev.perfkit.benchmarks.MemoryFootprint
 */
public final class MemoryFootprint {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final long HOUR_NANOS = TimeUnit.HOURS.toNanos(1);
    private static final int TIMERS = 100;
    private static final int VALUES_PER_THREAD_AND_TIMER = 200;
    private static final int REQUESTS = 1_000_000;

    private MemoryFootprint() {
    }

    public static void main(String[] args) throws Exception {
        System.out.printf(Locale.ROOT, "JDK %s, %d cores, max heap %d MiB%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        System.out.println();
        System.out.println("heap per timer, 100 timers, values 1 us - 10 ms (KiB)");
        System.out.printf(Locale.ROOT, "%-10s %12s %12s %12s%n", "threads", "perfkit", "micrometer", "recorder");
        for (int threads : new int[] {1, 8, 200}) {
            double perfkit = platform(threads, MemoryFootprint::perfkitTimers);
            double micrometer = platform(threads, MemoryFootprint::micrometerTimers);
            double recorder = platform(threads, MemoryFootprint::recorders);
            System.out.printf(Locale.ROOT, "%-10d %12.1f %12.1f %12.1f%n", threads, perfkit / 1024, micrometer / 1024,
                    recorder / 1024);
        }
        System.out.println();
        Method virtualExecutor = virtualExecutorFactory();
        if (virtualExecutor == null) {
            System.out.println("virtual-thread scenarios skipped: JDK " + Runtime.version() + " has no virtual threads");
            return;
        }
        System.out.println("100,000 virtual threads x 10 timers x 10 values: heap before a read (MiB), ns per value");
        for (String library : new String[] {"perfkit", "micrometer", "recorder"}) {
            List<LongConsumer> timers = switch (library) {
                case "perfkit" -> perfkitTimers(10);
                case "micrometer" -> micrometerTimers(10);
                default -> recorders(10);
            };
            virtualThreads(library, timers, virtualExecutor);
        }
        System.out.println();
        requests(virtualExecutor);
    }

    // --- platform threads -------------------------------------------------------------------------------------

    private static double platform(int threads, java.util.function.IntFunction<List<LongConsumer>> factory)
            throws Exception {
        long baseline = usedAfterGc();
        List<LongConsumer> timers = factory.apply(TIMERS);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch started = new CountDownLatch(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = t;
                done.add(pool.submit(() -> {
                    started.countDown();
                    started.await();
                    SplittableRandom random = new SplittableRandom(seed);
                    for (int i = 0; i < VALUES_PER_THREAD_AND_TIMER; i++) {
                        for (LongConsumer timer : timers) {
                            timer.accept(logUniform(random));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            double perTimer = (double) (usedAfterGc() - baseline) / TIMERS; // pool threads alive
            keep(timers);
            return perTimer;
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    private static List<LongConsumer> perfkitTimers(int count) {
        PerfRegistry registry = new PerfRegistry();
        List<LongConsumer> timers = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            PerfTimer timer = registry.timer("footprint." + k);
            timers.add(timer::record);
        }
        return timers;
    }

    private static List<LongConsumer> micrometerTimers(int count) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<LongConsumer> timers = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            Timer timer = Timer.builder("footprint." + k).publishPercentiles(0.5, 0.9, 0.99, 0.999)
                    .register(registry);
            timers.add(nanos -> timer.record(nanos, TimeUnit.NANOSECONDS));
        }
        return timers;
    }

    private static List<LongConsumer> recorders(int count) {
        List<LongConsumer> timers = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            Recorder recorder = new Recorder(HOUR_NANOS, 2);
            timers.add(recorder::recordValue);
        }
        return timers;
    }

    // --- virtual threads ----------------------------------------------------------------------------------------

    private static void virtualThreads(String library, List<LongConsumer> timers, Method factory) throws Exception {
        int threads = 100_000;
        long baseline = usedAfterGc();
        long start = System.nanoTime();
        ExecutorService executor = (ExecutorService) factory.invoke(null);
        for (int t = 0; t < threads; t++) {
            long seed = t;
            executor.submit(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                for (LongConsumer timer : timers) {
                    for (int i = 0; i < 10; i++) {
                        timer.accept(logUniform(random));
                    }
                }
            });
        }
        executor.shutdown();
        executor.awaitTermination(5, TimeUnit.MINUTES);
        long elapsed = System.nanoTime() - start;
        double mib = (usedAfterGc() - baseline) / 1048576.0;
        keep(timers);
        System.out.printf(Locale.ROOT, "%-10s %10.2f MiB %10.0f ns/value%n", library, mib,
                (double) elapsed / ((long) threads * timers.size() * 10));
    }

    private static void requests(Method factory) throws Exception {
        OverheadBenchmark.Subject subject = new OverheadBenchmark.Subject();
        SimpleMeterRegistry micrometer = new SimpleMeterRegistry();
        Metrics.globalRegistry.add(micrometer); // Micrometer's TimedAspect records into the global registry
        Perf.setRegistry(new PerfRegistry());
        subject.timed();
        subject.profiled();
        subject.micrometerTimed();
        System.out.println("1,000,000 virtual-thread tasks, one call each: heap retained (MiB), time against plain");
        // Rounds alternate the variants so that a noisy neighbour hits them alike; the median ratio is reported.
        int rounds = 9;
        double[] timedRatio = new double[rounds];
        double[] micrometerRatio = new double[rounds];
        double[] profiledRatio = new double[rounds];
        double[] timedBytes = new double[rounds];
        double[] micrometerBytes = new double[rounds];
        double[] profiledBytes = new double[rounds];
        double timedMib = 0;
        double micrometerMib = 0;
        double profiledBeforeMib = 0;
        double profiledAfterMib = 0;
        for (int round = 0; round < rounds; round++) {
            Run plainRun = run(factory, subject::plain);
            long plain = plainRun.elapsedNanos;
            Run timed = run(factory, subject::timed);
            Run micrometerTimed = run(factory, subject::micrometerTimed);
            Run profiled = run(factory, subject::profiled);
            long afterProfileRead = usedAfterGc(() -> Perf.registry().profile().paths().size());
            timedBytes[round] = timed.allocatedBytesPerTask - plainRun.allocatedBytesPerTask;
            micrometerBytes[round] = micrometerTimed.allocatedBytesPerTask - plainRun.allocatedBytesPerTask;
            profiledBytes[round] = profiled.allocatedBytesPerTask - plainRun.allocatedBytesPerTask;
            timedRatio[round] = (double) timed.elapsedNanos / plain;
            micrometerRatio[round] = (double) micrometerTimed.elapsedNanos / plain;
            profiledRatio[round] = (double) profiled.elapsedNanos / plain;
            timedMib = Math.max(timedMib, timed.retainedBytes / 1048576.0);
            micrometerMib = Math.max(micrometerMib, micrometerTimed.retainedBytes / 1048576.0);
            profiledBeforeMib = Math.max(profiledBeforeMib, profiled.retainedBytes / 1048576.0);
            profiledAfterMib = Math.max(profiledAfterMib, (afterProfileRead - profiled.baselineBytes) / 1048576.0);
        }
        long timedCount = Perf.registry().snapshot(OverheadBenchmark.TIMED_NAME).orElseThrow().count();
        System.out.printf(Locale.ROOT, "%-28s %8.2f MiB %8.2fx plain %8.1f B/task more than plain%n",
                "perfkit @Timed", timedMib, median(timedRatio), median(timedBytes));
        System.out.printf(Locale.ROOT, "%-28s %8.2f MiB %8.2fx plain %8.1f B/task more than plain%n",
                "micrometer @Timed (aspect)", micrometerMib, median(micrometerRatio), median(micrometerBytes));
        System.out.printf(Locale.ROOT, "%-28s %8.2f MiB %8.2fx plain %8.1f B/task more than plain"
                        + " (after a read: %.2f MiB)%n", "perfkit @Profiled", profiledBeforeMib, median(profiledRatio),
                median(profiledBytes), profiledAfterMib);
        System.out.printf(Locale.ROOT, "perfkit @Timed count: %,d (expected %,d)%n", timedCount,
                (long) rounds * REQUESTS + 1);
        Metrics.globalRegistry.remove(micrometer);
    }

    /**
     * A task run: its time, the heap it left retained (before any read of the timers), and the bytes allocated per
     * task by all threads (virtual threads allocate through their carriers, which the thread bean counts).
     */
    private record Run(long elapsedNanos, long baselineBytes, long retainedBytes, double allocatedBytesPerTask) {
    }

    private static Run run(Method factory, Supplier<?> call) throws Exception {
        Runnable task = call::get;
        long baseline = usedAfterGc();
        ExecutorService executor = (ExecutorService) factory.invoke(null);
        long allocatedBefore = allocatedByAllThreads();
        long start = System.nanoTime();
        for (int i = 0; i < REQUESTS; i++) {
            executor.execute(task);
        }
        executor.shutdown();
        executor.awaitTermination(5, TimeUnit.MINUTES);
        long elapsed = System.nanoTime() - start;
        double allocated = (double) (allocatedByAllThreads() - allocatedBefore) / REQUESTS;
        return new Run(elapsed, baseline, usedAfterGc() - baseline, allocated);
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private static Method virtualExecutorFactory() {
        try {
            return Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** Bytes allocated so far by every live platform thread (carrier threads included). */
    private static long allocatedByAllThreads() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long allocated : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            total += Math.max(0, allocated);
        }
        return total;
    }

    private static long logUniform(SplittableRandom random) {
        double low = Math.log(1_000);
        double high = Math.log(10_000_000);
        return (long) Math.exp(low + random.nextDouble() * (high - low));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static volatile Object sink;

    private static void keep(Object o) {
        sink = o;
        sink = null;
    }

    private static long usedAfterGc() throws InterruptedException {
        return usedAfterGc(() -> 0);
    }

    /** Heap in use after collections have settled, once {@code before} has run. */
    private static long usedAfterGc(Supplier<?> before) throws InterruptedException {
        keep(before.get());
        long previous = Long.MAX_VALUE;
        long used = 0;
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(30);
            used = MEMORY.getHeapMemoryUsage().getUsed();
            if (i >= 2 && used > previous * 0.99) {
                break;
            }
            previous = used;
        }
        return used;
    }
}
