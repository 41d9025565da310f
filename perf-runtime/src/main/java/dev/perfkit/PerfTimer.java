package dev.perfkit;

import dev.perfkit.internal.HistogramLayout;
import dev.perfkit.internal.SamplingCounter;
import dev.perfkit.internal.ProjectedCounts;
import dev.perfkit.internal.SlotProjection;
import dev.perfkit.internal.SparseCounts;
import dev.perfkit.internal.StripedHistogram;
import dev.perfkit.internal.TimerSink;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;


/**
 * One named metric: a histogram of values (latencies in nanoseconds, or bytes) with an error count, created and owned
 * by a {@link PerfRegistry}.
 *
 * <p><b>Thread-safety.</b> Any number of threads, platform or virtual, may record concurrently: values land in a few
 * striped cells (at most the number of cores, grown only when writers collide), never behind a lock. Snapshots may be
 * taken concurrently with recording and never block writers.
 *
 * <p><b>Memory.</b> Bounded by the machine, not by the number of threads: at most one cell per core (rounded up to a
 * power of two), each holding 1 KiB (at 2 significant digits; 8 KiB at 3) per power-of-two range of values recorded.
 * Counting unsampled calls adds at most one padded cell (a few cache lines) per slot of the sampling counter (twice
 * the cores, at most 64), created by the first thread counting through it.
 *
 * <p><b>Sampling.</b> A timer created with {@code sampleOneIn > 1} (see {@link dev.perfkit.annotation.Timed#sampleOneIn()})
 * holds the latencies of the sampled calls in its histogram and counts the other calls with
 * {@link #recordUnsampled()} / {@link #recordUnsampledError(Throwable)}: its snapshots give the exact call and error
 * counts beside the sampled latencies. That counter has a few cells, each owned by the first thread hashed to it, which
 * then counts with a plain store; other threads count in a striped atomic counter.
 *
 * <p><b>Range.</b> Values below 0 (a clock that went backwards) are recorded as 0 and values above the registry's
 * highest trackable value as that value; both are counted in {@link TimerSnapshot#clamped()}. Nothing is thrown.
 */
public final class PerfTimer implements TimerSink {

    private final PerfRegistry registry;
    private final TimerId id;
    private final int sampleOneIn;
    private final long highestTrackableValue;
    private final long slowThreshold;
    private final long createdEpochMillis;

    private final StripedHistogram histogram;
    private final LongAdder clamped = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final SamplingCounter unsampled = new SamplingCounter();
    private final ConcurrentHashMap<Class<?>, LongAdder> errorsByType = new ConcurrentHashMap<>();
    private final SlowCallLog slowCallLog;

    private final Object baselineLock = new Object();
    private Reading resetBaseline; // guarded by baselineLock
    private final IntervalTracker defaultInterval;

    PerfTimer(PerfRegistry registry, String name, String description, Map<String, String> tags, MetricUnit unit,
              long target, int sampleOneIn) {
        this.registry = registry;
        this.id = new TimerId(name, description, tags, unit, target);
        this.sampleOneIn = sampleOneIn;
        this.highestTrackableValue = registry.layout().highestTrackableValue();
        this.slowThreshold = target > 0 && unit == MetricUnit.NANOSECONDS ? target : Long.MAX_VALUE;
        this.createdEpochMillis = System.currentTimeMillis();
        this.histogram = new StripedHistogram(registry.layout());
        this.slowCallLog = new SlowCallLog(name, registry.config().slowCallLogIntervalNanos(),
                registry.config().clock());
        this.resetBaseline = Reading.empty(createdEpochMillis);
        this.defaultInterval = new IntervalTracker(this);
    }

    /** The timer's name, description, tags, unit and target. */
    public TimerId id() {
        return id;
    }

    /** {@code id().name()}. */
    @Override
    public String name() {
        return id.name();
    }

    /** {@code id().unit()}: the unit of every value recorded. */
    public MetricUnit unit() {
        return id.unit();
    }

    /**
     * One call in how many has its latency recorded: a power of two, 1 when every call is (the default). Set when the
     * timer is created ({@link PerfRegistry.TimerBuilder#sampleOneIn(int)}); the recording methods do not enforce it.
     */
    public int sampleOneIn() {
        return sampleOneIn;
    }

    /**
     * Records one value in {@link #unit()}. Never throws, allocation-free in steady state; out-of-range values are
     * clamped and counted. A latency above the timer's target logs one WARN line, rate-limited per timer.
     */
    @Override
    public void record(long value) {
        if (value < 0 || value > highestTrackableValue) {
            value = clamp(value);
        }
        histogram.record(value);
        if (value > slowThreshold) {
            slowCallLog.slowCall(value, id.target());
        }
    }

    /** Records one value that ended in {@code failure}: counted in the histogram and as an error of its class. */
    @Override
    public void recordError(long value, Throwable failure) {
        record(value);
        countError(failure);
    }

    /**
     * Counts one call whose latency was not sampled: it adds to {@link TimerSnapshot#count()}, not to the histogram.
     * Never throws; allocation-free once warm. On a thread that owns one of the counter's cells (the first thread
     * hashed to it), no atomic instruction.
     */
    public void recordUnsampled() {
        unsampled.increment();
    }

    /** Counts one unsampled call that ended in {@code failure}: in the call count and as an error of its class. */
    public void recordUnsampledError(Throwable failure) {
        unsampled.increment();
        countError(failure);
    }

    /**
     * For woven code: the counter of this timer's unsampled calls, which a probe of a sampled method counts into when
     * a call starts, and which chooses the sampled calls.
     */
    @Override
    public SamplingCounter unsampledCalls() {
        return unsampled;
    }

    /**
     * Counts {@code failure} by its class (null counts as {@code Throwable}) for a call already counted: for woven
     * code, whose unsampled calls are counted when they start. Never throws.
     */
    @Override
    public void countError(Throwable failure) {
        errors.increment();
        Class<?> type = failure == null ? Throwable.class : failure.getClass();
        errorsByType.computeIfAbsent(type, t -> new LongAdder()).increment();
    }

    /** Starts timing with the registry's clock; close the returned stopwatch to record. */
    public Stopwatch start() {
        return new Stopwatch(this, registry.config().clock());
    }

    /** Everything recorded since creation or the last {@link #reset()}. */
    public TimerSnapshot snapshot() {
        Reading now = read();
        Reading base;
        synchronized (baselineLock) {
            base = resetBaseline;
        }
        return now.since(base, this);
    }

    /**
     * Reads everything recorded since creation or the last {@link #reset()}, as {@link #snapshot()} would, straight
     * into the buckets of {@code first} and of {@code second} (null for none): no per-slot counts, no percentiles,
     * no allocation once {@code into} is warm (but the errors map of a timer with errors). The buckets, count, total,
     * max, errors and start equal those of the snapshot taken at the same moment. A sampled timer, or one that was
     * reset after recording, is read through a snapshot (slower, same result). Never blocks writers.
     *
     * @throws IllegalArgumentException if a layout belongs to another registry, or {@code into} was made for a
     *                                  registry of another precision
     */
    public void readBuckets(BucketLayout first, BucketLayout second, BucketReading into) {
        if (first.registry() != registry || (second != null && second.registry() != registry)) {
            throw new IllegalArgumentException("bucket layout of another registry");
        }
        if (into.scratch.length != registry.layout().chunkLength() + 1) {
            throw new IllegalArgumentException("bucket reading of a registry with another precision");
        }
        Reading base;
        synchronized (baselineLock) {
            base = resetBaseline;
        }
        if ((base.counts() != null && base.counts().totalCount() != 0) || base.unsampled() != 0
                || unsampled.sum() != 0) {
            readThroughSnapshot(first, second, into);
            return;
        }
        Map<String, Long> errorsByType = errorsSince(base); // before the counts, as in read()
        int top = histogram.readInto(first.projection(), into.first.counts,
                second == null ? null : second.projection(), second == null ? null : into.second.counts,
                into.scratch);
        if (second == null) {
            into.second.counts.clear();
        }
        long sum = histogram.sum();
        HistogramLayout layout = registry.layout();
        into.count = into.first.counts.total();
        into.total = sum - base.sum();
        into.max = top < 0 || layout.lowestValueAt(top) == 0 ? 0 : layout.highestValueAt(top);
        into.startEpochMillis = base.epochMillis();
        into.errorsByType = errorsByType;
    }

    private Map<String, Long> errorsSince(Reading base) {
        if (errorsByType.isEmpty()) {
            return Map.of();
        }
        Map<String, Long> byType = errorsByType();
        base.errorsByType().forEach((type, n) -> byType.merge(type, -n, Long::sum));
        byType.values().removeIf(n -> n == 0);
        return Collections.unmodifiableMap(byType);
    }

    private void readThroughSnapshot(BucketLayout first, BucketLayout second, BucketReading into) {
        TimerSnapshot s = snapshot();
        ProjectedCounts a = into.first.counts;
        ProjectedCounts b = into.second.counts;
        a.clear();
        b.clear();
        HistogramLayout layout = registry.layout();
        SlotProjection pa = first.projection();
        SlotProjection pb = second == null ? null : second.projection();
        s.forEachBucket((lowest, highest, n) -> {
            int index = layout.index(lowest);
            a.add(pa.bucketOf(index), n);
            if (pb != null) {
                b.add(pb.bucketOf(index), n);
            }
        });
        a.finish();
        b.finish();
        into.count = s.count();
        into.total = s.total();
        into.max = s.max();
        into.startEpochMillis = s.startEpochMillis();
        into.errorsByType = s.errorsByType();
    }

    /**
     * Everything recorded since the previous call of this method (or creation). One interval cursor per timer: for
     * independent consumers use {@link PerfRegistry#newIntervalReader()}.
     */
    public TimerSnapshot intervalSnapshot() {
        return defaultInterval.next();
    }

    /** Makes later cumulative snapshots start from now. Intervals are unaffected. Does not block writers. */
    public void reset() {
        Reading now = read();
        synchronized (baselineLock) {
            resetBaseline = now;
        }
    }

    private long clamp(long value) {
        clamped.increment();
        return value < 0 ? 0 : highestTrackableValue;
    }

    /** The raw totals since creation. */
    Reading read() {
        long endEpochMillis = System.currentTimeMillis();
        // In the reverse of the order a writer counts a failed call (histogram or unsampled, then errors, then errors
        // by type), so that a reading taken while writers record never shows more errors by type than errors, nor
        // more errors than calls: each error read here has its call in the counts read after it.
        Map<String, Long> byType = errorsByType();
        long errorCount = errors.sum();
        long unsampledCount = unsampled.sum();
        SparseCounts counts = histogram.read();
        long sum = histogram.sum();
        return new Reading(counts, sum, unsampledCount, errorCount, byType, clamped.sum(), endEpochMillis);
    }

    private Map<String, Long> errorsByType() {
        Map<String, Long> byType = new HashMap<>();
        errorsByType.forEach((type, adder) -> byType.merge(type.getName(), adder.sum(), Long::sum));
        return byType;
    }

    StripedHistogram histogram() {
        return histogram;
    }

    @Override
    public String toString() {
        return "PerfTimer[" + id + "]";
    }

    /**
     * Totals at one moment, as the non-zero slots of the registry's layout (null before anything was read); the
     * difference of two readings is a span. Readings are never modified after creation.
     */
    record Reading(SparseCounts counts, long sum, long unsampled, long errors, Map<String, Long> errorsByType, long clamped,
                   long epochMillis) {

        /** The reading before anything was recorded; a snapshot since it needs no subtraction. */
        static Reading empty(long epochMillis) {
            return new Reading(null, 0, 0, 0, Map.of(), 0, epochMillis);
        }

        /** What was recorded between {@code earlier} and this reading. */
        TimerSnapshot since(Reading earlier, PerfTimer timer) {
            SparseCounts delta = SparseCounts.difference(counts, earlier.counts);
            Map<String, Long> byType = new HashMap<>(errorsByType);
            earlier.errorsByType.forEach((type, n) -> byType.merge(type, -n, Long::sum));
            byType.values().removeIf(n -> n == 0);
            return TimerSnapshot.of(timer, delta, earlier.epochMillis, epochMillis, sum - earlier.sum,
                    unsampled - earlier.unsampled, errors - earlier.errors, byType, clamped - earlier.clamped);
        }
    }

    /** One consumer's interval cursor over one timer. Thread-safe. */
    static final class IntervalTracker {
        private final PerfTimer timer;
        private Reading previous; // guarded by this

        IntervalTracker(PerfTimer timer) {
            this.timer = Objects.requireNonNull(timer);
            this.previous = Reading.empty(timer.createdEpochMillis);
        }

        synchronized TimerSnapshot next() {
            Reading now = timer.read();
            TimerSnapshot interval = now.since(previous, timer);
            previous = now;
            return interval;
        }
    }
}
