package dev.perfkit.benchmarks;

import dev.perfkit.IntervalReader;
import dev.perfkit.PerfRegistry;
import dev.perfkit.PerfTimer;
import dev.perfkit.TimerSnapshot;
import dev.perfkit.export.PrometheusExporter;
import dev.perfkit.export.PrometheusOptions;
import dev.perfkit.export.PrometheusProtobuf;
import dev.perfkit.export.PrometheusText;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/*
 * What does reading every timer of a registry cost while a writer keeps recording into them, and does the writer
 * notice the reader? ARCHITECTURE.md ("Performance bars"): reading a snapshot never blocks writers; a full export of 1,000 timers takes
 * milliseconds, not seconds (the snapshots measured here are what every export reads).
 *
 * Each group runs two threads on one registry of `timerCount` timers (10, 100, 1,000), every timer pre-filled with
 * latencies spread log-uniformly over 1 us .. 10 ms so that its histogram has realistic ranges populated:
 *   - a writer that records precomputed values round-robin into the timers (the hot path, as a woven method would);
 *   - a reader that reads all timers, one way per group:
 *       baseline  -> registry.timers()             (list and sort the timers, no histogram read: the floor)
 *       snapshots -> registry.snapshots()          (cumulative snapshot of every timer)
 *       interval  -> intervalCursor.read()         (interval snapshot of every timer, through its own
 *                                                   IntervalReader)
 *       prometheus -> PrometheusText.render(registry.snapshots())   (a full text export with classic buckets, as a
 *                                                                    scrape does)
 *       protobuf  -> PrometheusProtobuf.render(registry.snapshots(), options)   (a full protobuf export: classic and
 *                                                                    native buckets)
 *       (and, with no writer: snapshotsAlone -> registry.snapshots(), prometheusAlone -> the whole text scrape; and
 *        the export alone from snapshots taken once at set-up:
 *        textFromSnapshots -> PrometheusText.render(taken), protobufFromSnapshots -> PrometheusProtobuf.render(taken))
 *       prometheusDirect -> PrometheusExporter.text()     (the same text export, read straight from the timers into
 *                                                    the classic buckets, no snapshots: what /metrics serves)
 *       protobufDirect -> PrometheusExporter.protobuf()   (the same protobuf export, classic and native buckets, no
 *                                                    snapshots)
 *       (and with no writer: prometheusDirectAlone, protobufDirectAlone)
 *       micrometer -> PrometheusMeterRegistry.scrape() of as many Micrometer timers with publishPercentileHistogram(),
 *                    pre-filled with the same values, while its writer records into them (the peer, side by side)
 * JMH reports each group as a whole and, as secondary results, each thread's method: read the `...Reader` line for the
 * cost of a full read (us/op) and compare the `...Writer` lines across groups to see what the reader does to the
 * writer (a blocked writer would show up as a large jump over the baseline group).
 *
 * Run (from the repository root, after mvn -pl benchmarks -am package):
 *   java -jar benchmarks/target/benchmarks.jar SnapshotBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc
 *   java -jar benchmarks/target/benchmarks.jar SnapshotBenchmark -p timerCount=1000
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Group)
public class SnapshotBenchmark {

    private static final int VALUE_COUNT = 1024; // a power of two: indexed with i++ & VALUE_MASK
    private static final int VALUE_MASK = VALUE_COUNT - 1;
    private static final int PREFILL_PER_TIMER = 1_000;
    private static final long LOWEST_NANOS = 1_000;
    private static final long HIGHEST_NANOS = 10_000_000;

    @Param({"10", "100", "1000"})
    int timerCount;

    PerfRegistry registry;
    PerfTimer[] timers;
    long[] valuesNanos;
    IntervalReader intervalCursor;
    PrometheusOptions prometheusOptions;
    PrometheusExporter exporter;
    List<TimerSnapshot> taken;
    PrometheusMeterRegistry micrometer;
    Timer[] micrometerTimers;

    /** The writer's cursors: its own, so that writing touches no state shared with the reader but the timers. */
    @State(Scope.Thread)
    public static class WriterCursor {
        int valueIndex;
        int timerIndex;
    }

    @Setup(Level.Trial)
    public void setUp() {
        registry = new PerfRegistry();
        timers = new PerfTimer[timerCount];
        for (int i = 0; i < timerCount; i++) {
            timers[i] = registry.timer(String.format("bench.snapshot.timer_%04d", i));
        }
        SplittableRandom random = new SplittableRandom(42);
        double logSpan = Math.log((double) HIGHEST_NANOS / LOWEST_NANOS);
        valuesNanos = new long[VALUE_COUNT];
        for (int i = 0; i < VALUE_COUNT; i++) {
            valuesNanos[i] = (long) (LOWEST_NANOS * Math.exp(random.nextDouble() * logSpan));
        }
        for (PerfTimer timer : timers) {
            for (int i = 0; i < PREFILL_PER_TIMER; i++) {
                timer.record(valuesNanos[random.nextInt(VALUE_COUNT)]);
            }
        }
        intervalCursor = registry.newIntervalReader();
        prometheusOptions = PrometheusOptions.forConfig(registry.config());
        taken = registry.snapshots();
        exporter = new PrometheusExporter(registry, prometheusOptions);
        micrometer = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        micrometerTimers = new Timer[timerCount];
        for (int i = 0; i < timerCount; i++) {
            micrometerTimers[i] = Timer.builder(String.format("bench.snapshot.timer_%04d", i))
                    .publishPercentileHistogram().register(micrometer);
            for (int j = 0; j < PREFILL_PER_TIMER; j++) {
                micrometerTimers[i].record(valuesNanos[random.nextInt(VALUE_COUNT)], TimeUnit.NANOSECONDS);
            }
        }
    }

    private void record(WriterCursor cursor) {
        timers[cursor.timerIndex].record(valuesNanos[cursor.valueIndex++ & VALUE_MASK]);
        if (++cursor.timerIndex == timers.length) {
            cursor.timerIndex = 0;
        }
    }

    @Benchmark
    @Group("baseline")
    @GroupThreads(1)
    public List<PerfTimer> baselineReader() {
        return registry.timers();
    }

    @Benchmark
    @Group("baseline")
    @GroupThreads(1)
    public void baselineWriter(WriterCursor cursor) {
        record(cursor);
    }

    @Benchmark
    @Group("snapshots")
    @GroupThreads(1)
    public List<TimerSnapshot> snapshotsReader() {
        return registry.snapshots();
    }

    @Benchmark
    @Group("snapshots")
    @GroupThreads(1)
    public void snapshotsWriter(WriterCursor cursor) {
        record(cursor);
    }

    @Benchmark
    @Group("interval")
    @GroupThreads(1)
    public List<TimerSnapshot> intervalReader() {
        return intervalCursor.read();
    }

    @Benchmark
    @Group("interval")
    @GroupThreads(1)
    public void intervalWriter(WriterCursor cursor) {
        record(cursor);
    }

    @Benchmark
    @Group("prometheus")
    @GroupThreads(1)
    public String prometheusReader() {
        return PrometheusText.render(registry.snapshots());
    }

    @Benchmark
    @Group("prometheus")
    @GroupThreads(1)
    public void prometheusWriter(WriterCursor cursor) {
        record(cursor);
    }

    @Benchmark
    @Group("protobuf")
    @GroupThreads(1)
    public byte[] protobufReader() {
        return PrometheusProtobuf.render(registry.snapshots(), prometheusOptions);
    }

    @Benchmark
    @Group("protobuf")
    @GroupThreads(1)
    public void protobufWriter(WriterCursor cursor) {
        record(cursor);
    }

    @Benchmark
    @Group("prometheusDirect")
    @GroupThreads(1)
    public byte[] prometheusDirectReader() {
        return exporter.text();
    }

    @Benchmark
    @Group("prometheusDirect")
    @GroupThreads(1)
    public void prometheusDirectWriter(WriterCursor cursor) {
        record(cursor);
    }

    @Benchmark
    @Group("protobufDirect")
    @GroupThreads(1)
    public byte[] protobufDirectReader() {
        return exporter.protobuf();
    }

    @Benchmark
    @Group("protobufDirect")
    @GroupThreads(1)
    public void protobufDirectWriter(WriterCursor cursor) {
        record(cursor);
    }

    @Benchmark
    @Group("micrometer")
    @GroupThreads(1)
    public String micrometerReader() {
        return micrometer.scrape();
    }

    @Benchmark
    @Group("micrometer")
    @GroupThreads(1)
    public void micrometerWriter(WriterCursor cursor) {
        micrometerTimers[cursor.timerIndex].record(valuesNanos[cursor.valueIndex++ & VALUE_MASK],
                TimeUnit.NANOSECONDS);
        if (++cursor.timerIndex == micrometerTimers.length) {
            cursor.timerIndex = 0;
        }
    }

    /** A full read of every timer with no writer running: the read's own cost and allocation, free of contention. */
    @Benchmark
    @Group("snapshotsAlone")
    @GroupThreads(1)
    public List<TimerSnapshot> snapshotsAlone() {
        return registry.snapshots();
    }

    /** A whole scrape with no writer running: read every timer, then render the text with classic buckets. */
    @Benchmark
    @Group("prometheusAlone")
    @GroupThreads(1)
    public String prometheusAlone() {
        return PrometheusText.render(registry.snapshots());
    }

    /** The text scrape read straight from the timers, with no writer running. */
    @Benchmark
    @Group("prometheusDirectAlone")
    @GroupThreads(1)
    public byte[] prometheusDirectAlone() {
        return exporter.text();
    }

    /** The protobuf scrape (classic and native buckets) read straight from the timers, with no writer running. */
    @Benchmark
    @Group("protobufDirectAlone")
    @GroupThreads(1)
    public byte[] protobufDirectAlone() {
        return exporter.protobuf();
    }

    @Benchmark
    @Group("textFromSnapshots")
    @GroupThreads(1)
    public String textFromSnapshots() {
        return PrometheusText.render(taken, prometheusOptions);
    }

    @Benchmark
    @Group("protobufFromSnapshots")
    @GroupThreads(1)
    public byte[] protobufFromSnapshots() {
        return PrometheusProtobuf.render(taken, prometheusOptions);
    }
}
