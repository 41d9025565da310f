package dev.perfkit.benchmarks;

import dev.perfkit.Perf;
import dev.perfkit.PerfTimer;
import dev.perfkit.Stopwatch;
import dev.perfkit.TimerSnapshot;
import dev.perfkit.annotation.Profiled;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.HdrHistogram.Recorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/*
 * What does it cost to time one call of a trivial method: with our woven @Timed / @Profiled, with our programmatic
 * stopwatch, and with the peers (HdrHistogram Recorder, Micrometer Timer with and without a percentile histogram,
 * Micrometer's own @Timed + TimedAspect, Dropwizard Timer)? ARCHITECTURE.md ("Performance bars") states the bars:
 * @Timed at most 1.5x clockFloor with 1 thread, no worse with 2 or 16 threads than with 1, 0 B/op.
 *
 * Every method calls the same trivial method, which returns a non-final @State field; the result is returned, so JMH
 * sinks it and nothing can be folded or eliminated. `baseline` is the bare call, `clockFloor` adds the two
 * System.nanoTime() reads that any timer needs (elapsed time sunk into a Blackhole): everything above clockFloor is
 * what the timer itself costs. `profiledFloor` adds the thread CPU-time and allocated-bytes reads that @Profiled makes:
 * the floor for profiledWoven. All timers live in Scope.Benchmark state, so the two-thread variant shows what each
 * library's shared state costs under contention.
 *
 * The trivial methods are in Subject; ajc weaves them at build time (aspectj-maven-plugin binary-weaves javac's output
 * with perf-runtime's aspects and Micrometer's TimedAspect, see the pom). setUp() calls each woven method once and
 * fails the trial if it did not record, so an unwoven build cannot report a flattering number.
 *
 * Three classes, same method names: OverheadBenchmark (@Threads(1)), OverheadBenchmark.TwoThreads (@Threads(2)) and
 * OverheadBenchmark.ManyThreads (@Threads(16)). JMH selects by regex (find, case-sensitive):
 *   1 thread:   'OverheadBenchmark\.[a-z]'      (method names start in lower case, the nested classes do not)
 *   2 threads:  'OverheadBenchmark\.TwoThreads'
 *   16 threads: 'OverheadBenchmark\.ManyThreads'
 *   all:        'OverheadBenchmark'
 *
 * Run (from the repository root, after mvn -pl benchmarks -am package):
 *   java -jar benchmarks/target/benchmarks.jar OverheadBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc
 * or against a saved baseline: benchmarks/bench --compare NAME OverheadBenchmark
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
@State(Scope.Benchmark)
public class OverheadBenchmark {

    static final String TIMED_NAME = "bench.overhead.timed";
    static final String TIMED_SAMPLED_NAME = "bench.overhead.timed.sampled";
    static final String PROFILED_NAME = "bench.overhead.profiled";
    static final String STOPWATCH_NAME = "bench.overhead.stopwatch";
    static final String MICROMETER_ASPECT_NAME = "bench.overhead.micrometer.aspect";
    private static final long HOUR_NANOS = TimeUnit.HOURS.toNanos(1);

    /** The trivial method, once per way of timing it. Non-final field: the JIT cannot constant-fold the result. */
    public static class Subject {
        int value = 42;

        public int plain() {
            return value;
        }

        @dev.perfkit.annotation.Timed(TIMED_NAME)
        public int timed() {
            return value;
        }

        @dev.perfkit.annotation.Timed(value = TIMED_SAMPLED_NAME, sampleOneIn = 64)
        public int timedSampled() {
            return value;
        }

        @Profiled(PROFILED_NAME)
        public int profiled() {
            return value;
        }

        @io.micrometer.core.annotation.Timed(MICROMETER_ASPECT_NAME)
        public int micrometerTimed() {
            return value;
        }
    }

    // Non-final, so that the JIT treats them as the unknowns they are in real code.
    Subject subject;
    IntSupplier plainCall;
    Recorder recorder;
    PerfTimer perfTimer;
    SimpleMeterRegistry meterRegistry;
    Timer micrometerPlainTimer;
    Timer micrometerHistogramTimer;
    com.codahale.metrics.Timer dropwizard;
    com.sun.management.ThreadMXBean threadBean;

    @Setup(Level.Trial)
    public void setUp() {
        subject = new Subject();
        plainCall = subject::plain; // created once: Timer.record(IntSupplier) then allocates nothing per call
        recorder = new Recorder(HOUR_NANOS, 2);
        perfTimer = Perf.registry().timer("bench.overhead.timer_record");
        threadBean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        meterRegistry = new SimpleMeterRegistry();
        // Micrometer's TimedAspect is an AspectJ singleton built with its no-arg constructor, which records into
        // Metrics.globalRegistry: without a registry added there, it would record into nothing.
        Metrics.globalRegistry.add(meterRegistry);
        micrometerPlainTimer = Timer.builder("bench.overhead.micrometer").register(meterRegistry);
        micrometerHistogramTimer = Timer.builder("bench.overhead.micrometer.histogram")
                .publishPercentileHistogram()
                .register(meterRegistry);
        dropwizard = new com.codahale.metrics.MetricRegistry().timer("bench.overhead.dropwizard");

        requireWoven();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Metrics.globalRegistry.remove(meterRegistry);
        meterRegistry.close();
    }

    /** Calls each woven method once and checks that it recorded: a build that lost its weaving fails here. */
    private void requireWoven() {
        subject.timed();
        subject.timedSampled();
        subject.profiled();
        subject.micrometerTimed();
        requireCount(TIMED_NAME, perfCount(TIMED_NAME));
        requireCount(TIMED_SAMPLED_NAME, perfCount(TIMED_SAMPLED_NAME)); // the call count is exact, sampled or not
        requireCount(PROFILED_NAME, perfCount(PROFILED_NAME));
        Timer aspectTimer = meterRegistry.find(MICROMETER_ASPECT_NAME).timer();
        requireCount(MICROMETER_ASPECT_NAME, aspectTimer == null ? 0 : aspectTimer.count());
    }

    private static long perfCount(String name) {
        return Perf.registry().find(name).map(PerfTimer::snapshot).map(TimerSnapshot::count).orElse(0L);
    }

    private static void requireCount(String name, long count) {
        if (count < 1) {
            throw new IllegalStateException("'" + name + "' recorded nothing after one call: Subject is not woven "
                    + "(check the aspectj-maven-plugin execution in benchmarks/pom.xml)");
        }
    }

    @Benchmark
    public int baseline() {
        return subject.plain();
    }

    @Benchmark
    public int clockFloor(Blackhole blackhole) {
        long startNanos = System.nanoTime();
        int result = subject.plain();
        blackhole.consume(System.nanoTime() - startNanos);
        return result;
    }

    /**
     * The floor of {@code @Profiled}: clockFloor plus the current thread's CPU time and allocated bytes read before
     * and after the call (the four ThreadMXBean reads the profiled advice makes), sunk into the Blackhole. Not one of
     * the peers: it is the reference for the bar "@Profiled costs at most this floor".
     */
    @Benchmark
    public int profiledFloor(Blackhole blackhole) {
        long cpuStartNanos = threadBean.getCurrentThreadCpuTime();
        long allocationStartBytes = threadBean.getCurrentThreadAllocatedBytes();
        long startNanos = System.nanoTime();
        int result = subject.plain();
        blackhole.consume(System.nanoTime() - startNanos);
        blackhole.consume(threadBean.getCurrentThreadAllocatedBytes() - allocationStartBytes);
        blackhole.consume(threadBean.getCurrentThreadCpuTime() - cpuStartNanos);
        return result;
    }

    @Benchmark
    public int hdrRecorder() {
        long startNanos = System.nanoTime();
        int result = subject.plain();
        recorder.recordValue(System.nanoTime() - startNanos);
        return result;
    }

    /**
     * What {@code @Timed} does minus the aspect: the two clock reads and {@code PerfTimer.record}. Against
     * {@code clockFloor} it prices the record (clamp, slow-call check, striped histogram); against {@code timedWoven},
     * the advice, the join-point lookup and the probe.
     */
    @Benchmark
    public int timerRecord() {
        long startNanos = System.nanoTime();
        int result = subject.plain();
        perfTimer.record(System.nanoTime() - startNanos);
        return result;
    }

    @Benchmark
    public int timedWoven() {
        return subject.timed();
    }

    /**
     * {@code @Timed(sampleOneIn = 64)}: the latency of one call in 64 is measured; the others pay the join-point lookup
     * and a plain increment of the counter cell this thread owns, which also marks the next sampled call. The bar: at
     * most 1.2x baseline plus 5 ns.
     */
    @Benchmark
    public int timedSampledWoven() {
        return subject.timedSampled();
    }

    @Benchmark
    public int profiledWoven() {
        return subject.profiled();
    }

    /** The documented programmatic form: a name lookup in the global registry per call, then the stopwatch. */
    @Benchmark
    @SuppressWarnings("try") // the resource is used for its close(), as intended
    public int stopwatch() {
        try (Stopwatch watch = Perf.start(STOPWATCH_NAME)) {
            return subject.plain();
        }
    }

    @Benchmark
    public int micrometerTimer() {
        return micrometerPlainTimer.record(plainCall);
    }

    @Benchmark
    public int micrometerTimerHistogram() {
        return micrometerHistogramTimer.record(plainCall);
    }

    @Benchmark
    public int micrometerTimedAspect() {
        return subject.micrometerTimed();
    }

    @Benchmark
    public int dropwizardTimer() {
        com.codahale.metrics.Timer.Context context = dropwizard.time();
        try {
            return subject.plain();
        } finally {
            context.stop();
        }
    }

    /**
     * The same methods run by two threads at once against the same timers, recorders and registries. Select with
     * the regex {@code OverheadBenchmark\.TwoThreads}.
     */
    @Threads(2)
    public static class TwoThreads extends OverheadBenchmark {
    }

    /**
     * Sixteen threads on the machine's cores (more threads than cores, as in a server's pool): a recorder whose state
     * is per thread grows with them, a shared one contends. Select with {@code OverheadBenchmark\.ManyThreads}.
     */
    @Threads(16)
    public static class ManyThreads extends OverheadBenchmark {
    }
}
