package dev.perfkit.export;

import dev.perfkit.BucketLayout;
import dev.perfkit.BucketReading;
import dev.perfkit.MetricUnit;
import dev.perfkit.PerfRegistry;
import dev.perfkit.PerfTimer;
import dev.perfkit.TimerId;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The Prometheus expositions of one registry, read straight from its timers: the bytes of
 * {@link PrometheusText#render(java.util.List, PrometheusOptions)} and of
 * {@link PrometheusProtobuf#render(java.util.List, PrometheusOptions)} of {@code registry.snapshots()}, without
 * building the snapshots. Each timer's histogram is read through {@link PerfTimer#readBuckets} into the classic
 * buckets and the native buckets directly (runs of slots per bucket computed once per bucket layout), and the text of
 * each timer's series names and labels (and its protobuf family heads) is rendered once, when the timer is first
 * exported. The {@code SUMMARY} kind needs quantiles and goes through the snapshots.
 *
 * <p><b>Two cores.</b> On a machine with more than one processor, an export of at least 128 timers is written in
 * parts of 32 timers, claimed in turn by the calling thread and by one task of the
 * {@linkplain java.util.concurrent.ForkJoinPool#commonPool() common pool}, each into its own buffer; the parts are then
 * copied out in timer order, so the bytes are those of a one-thread export. The caller never waits for the pool: a task
 * that has not started when the caller runs out of parts is told to do nothing, and the caller has written every part.
 *
 * <p><b>Thread-safety.</b> Thread-safe; one export at a time per exporter (exports of one exporter wait for each
 * other, never for writers: reading never blocks recording).
 *
 * <p><b>Memory.</b> Per timer, its pre-rendered series prefixes and family heads (a few hundred bytes); per bucket
 * layout, a few {@code int}s per histogram slot; per exporting thread (two at most), one reusable output buffer as large
 * as its share of the largest export; each export returns a new array.
 */
public final class PrometheusExporter {

    /** Timers per part: the unit of work that the exporting threads claim one at a time. */
    private static final int PART = 32;
    /** Parts at least, for a second thread to be worth asking for. */
    private static final int PARALLEL_PARTS = 4;
    private static final boolean MULTICORE = Runtime.getRuntime().availableProcessors() > 1;

    private final PerfRegistry registry;
    private final PrometheusOptions options;
    private final Map<HistogramBuckets, ClassicLayout> classicLayouts = new HashMap<>();
    private final NativeLayout[] nativeLayouts = new NativeLayout[2];
    private final Map<PerfTimer, TimerText> timerTexts = new HashMap<>();
    /** The caller's (0) and the helper's (1). */
    private final Worker[] workers;
    private TimerText[] texts = new TimerText[0];
    private int[] partWorker = new int[0];
    private int[] partStart = new int[0];
    private int[] partEnd = new int[0];
    private int helperParts;

    /**
     * An exporter of {@code registry}'s timers with {@code options} (bounds in the timers' units).
     *
     * @throws NullPointerException if either is null
     */
    public PrometheusExporter(PerfRegistry registry, PrometheusOptions options) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.options = Objects.requireNonNull(options, "options");
        this.workers = new Worker[] {new Worker(0, registry), new Worker(1, registry)};
    }

    /**
     * The Prometheus text exposition (version 0.0.4) of every timer, sorted by name, in UTF-8: the bytes of
     * {@code PrometheusText.render(registry.snapshots(), options)}.
     */
    public synchronized byte[] text() {
        if (options.kind() != PrometheusOptions.Kind.HISTOGRAM) {
            return PrometheusText.render(registry.snapshots(), options).getBytes(StandardCharsets.UTF_8);
        }
        return export(false);
    }

    /**
     * The Prometheus protobuf exposition of every timer, sorted by name, with classic and native buckets: the bytes of
     * {@code PrometheusProtobuf.render(registry.snapshots(), options)}.
     */
    public synchronized byte[] protobuf() {
        if (options.kind() != PrometheusOptions.Kind.HISTOGRAM) {
            return PrometheusProtobuf.render(registry.snapshots(), options);
        }
        return export(true);
    }

    /**
     * Exports every timer, part by part: the calling thread claims parts of {@link #PART} timers in order, and so does
     * one task of the common fork-join pool if it starts before the parts run out. Each thread writes into its own
     * buffer; the parts are then copied out in timer order. The caller waits only for a part the helper has already
     * claimed: a helper that has not started by then is told to do nothing, so a busy pool costs nothing but that.
     */
    private byte[] export(boolean protobuf) {
        List<PerfTimer> timers = registry.timers();
        int n = timers.size();
        if (texts.length < n) {
            texts = new TimerText[n];
        }
        for (int i = 0; i < n; i++) {
            texts[i] = timerText(timers.get(i)); // the map is confined to the exporter's lock
        }
        int parts = (n + PART - 1) / PART;
        if (partWorker.length < parts) {
            partWorker = new int[parts];
            partStart = new int[parts];
            partEnd = new int[parts];
        }
        for (Worker w : workers) {
            w.reset();
        }
        Job job = new Job(timers, parts, protobuf);
        boolean helped = MULTICORE && parts >= PARALLEL_PARTS;
        if (helped) {
            ForkJoinPool.commonPool().execute(job);
        }
        try {
            job.work(workers[0]);
        } finally {
            if (helped) {
                job.awaitHelper();
            }
        }
        int size = 0;
        for (int p = 0; p < parts; p++) {
            size += partEnd[p] - partStart[p];
        }
        byte[] out = new byte[size];
        int at = 0;
        int helper = 0;
        for (int p = 0; p < parts; p++) {
            Worker w = workers[partWorker[p]];
            helper += partWorker[p];
            if (protobuf) {
                w.encoder.copy(partStart[p], partEnd[p], out, at);
            } else {
                w.text.copy(partStart[p], partEnd[p], out, at);
            }
            at += partEnd[p] - partStart[p];
        }
        helperParts = helper;
        return out;
    }

    /** Parts of the last export that the helper wrote (for tests). */
    synchronized int helperParts() {
        return helperParts;
    }

    /** One export's parts, claimed by the caller and at most one helper. */
    private final class Job implements Runnable {
        private static final int WAITING = 0;
        private static final int HELPING = 1;
        private static final int HELPED = 2;
        private static final int CANCELLED = 3;

        private final List<PerfTimer> timers;
        private final int parts;
        private final boolean protobuf;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger state = new AtomicInteger(WAITING);
        private final Thread caller = Thread.currentThread();
        private volatile Throwable failure;

        Job(List<PerfTimer> timers, int parts, boolean protobuf) {
            this.timers = timers;
            this.parts = parts;
            this.protobuf = protobuf;
        }

        /** The helper: works only if the caller has not finished first. */
        @Override
        public void run() {
            if (!state.compareAndSet(WAITING, HELPING)) {
                return;
            }
            try {
                work(workers[1]);
            } catch (Throwable e) {
                failure = e;
            } finally {
                state.set(HELPED);
                LockSupport.unpark(caller);
            }
        }

        void work(Worker w) {
            int n = timers.size();
            for (int p = next.getAndIncrement(); p < parts; p = next.getAndIncrement()) {
                int start = w.size(protobuf);
                for (int i = p * PART, end = Math.min(n, i + PART); i < end; i++) {
                    if (protobuf) {
                        w.protobuf(timers.get(i), texts[i], options);
                    } else {
                        w.text(timers.get(i), texts[i]);
                    }
                }
                partWorker[p] = w.index;
                partStart[p] = start;
                partEnd[p] = w.size(protobuf);
            }
        }

        /** Waits for a helper that has started (parts it claimed are then written); cancels one that has not. */
        void awaitHelper() {
            if (state.compareAndSet(WAITING, CANCELLED)) {
                return;
            }
            while (state.get() != HELPED) {
                LockSupport.park(this);
            }
            Throwable e = failure;
            if (e instanceof RuntimeException) {
                throw (RuntimeException) e;
            }
            if (e instanceof Error) {
                throw (Error) e;
            }
        }
    }

    /** One exporting thread's reading and output buffers, reused from export to export. */
    private static final class Worker {
        final int index;
        final BucketReading reading;
        final ByteText text = new ByteText(1 << 16);
        final PrometheusProtobuf.Encoder encoder = new PrometheusProtobuf.Encoder(1 << 16);
        long[] nativeCounts = new long[64];
        /** The cumulative counts at the classic bounds (protobuf); the thread's own, so never shared with the other. */
        long[] cumulative = new long[64];

        Worker(int index, PerfRegistry registry) {
            this.index = index;
            this.reading = new BucketReading(registry);
        }

        void reset() {
            text.reset();
            encoder.reset();
        }

        int size(boolean protobuf) {
            return protobuf ? encoder.size() : text.size();
        }

        void text(PerfTimer timer, TimerText t) {
            timer.readBuckets(t.classic.layout, null, reading);
            t.writeText(text, reading);
        }

        void protobuf(PerfTimer timer, TimerText t, PrometheusOptions options) {
            timer.readBuckets(t.classic.layout, t.nativeLayout.layout, reading);
            int bounds = t.buckets.size();
            if (cumulative.length < bounds) {
                cumulative = new long[bounds];
            }
            cumulativeCounts(reading.first(), cumulative, bounds);
            BucketReading.Buckets nat = reading.second();
            long zeroCount = nat.countOf(0); // position 0: the zero bucket
            int from = Math.max(nat.lowest(), 1);
            int to = nat.highest() + 1;
            while (from < to && nat.countOf(from) == 0) {
                from++;
            }
            int length = Math.max(to - from, 0);
            if (nativeCounts.length < length) {
                nativeCounts = new long[Math.max(length, nativeCounts.length * 2)];
            }
            nat.copyCounts(from, to, nativeCounts);
            double scale = t.bytes ? 1.0 : 1e-9;
            encoder.histogramTimer(t.names, reading.count(),
                    reading.total() * scale, t.buckets, t.bytes, cumulative, options.nativeSchema(), zeroCount,
                    from - 1 + t.nativeLayout.lowestIndex, nativeCounts, length, reading.max() * scale,
                    reading.errorsByType(), reading.startEpochMillis());
        }
    }

    /** {@code cumulative[i]}: values in buckets {@code 0..i}, for each finite bound {@code i}. */
    private static void cumulativeCounts(BucketReading.Buckets buckets, long[] cumulative, int bounds) {
        long running = 0;
        for (int bound = 0; bound < bounds; bound++) {
            running += buckets.countOf(bound);
            cumulative[bound] = running;
        }
    }

    private TimerText timerText(PerfTimer timer) {
        TimerText t = timerTexts.get(timer);
        if (t == null) {
            boolean bytes = timer.unit() == MetricUnit.BYTES;
            HistogramBuckets buckets = options.bucketsFor(timer.name(), timer.unit());
            ClassicLayout classic = classicLayouts.get(buckets);
            if (classic == null) {
                classic = new ClassicLayout(registry, buckets);
                classicLayouts.put(buckets, classic);
            }
            int unit = bytes ? 1 : 0;
            if (nativeLayouts[unit] == null) {
                nativeLayouts[unit] = new NativeLayout(registry, options.nativeSchema(), bytes);
            }
            t = new TimerText(timer.id(), bytes, buckets, classic, nativeLayouts[unit]);
            timerTexts.put(timer, t);
        }
        return t;
    }

    /** Classic buckets over the registry's slots: bucket {@code i} for bound {@code i}, {@code size()} for +Inf. */
    private static final class ClassicLayout {
        final BucketLayout layout;
        /** Per bound, {@code <le label>"} } in seconds (index 0) and in the unit (index 1). */
        final byte[][][] leSuffixes = new byte[2][][];

        ClassicLayout(PerfRegistry registry, HistogramBuckets buckets) {
            long[] bounds = buckets.upperBounds();
            int[] next = {0};
            this.layout = registry.bucketLayout(highest -> {
                while (next[0] < bounds.length && highest > bounds[next[0]]) {
                    next[0]++;
                }
                return next[0];
            });
            for (int unit = 0; unit < 2; unit++) {
                leSuffixes[unit] = new byte[bounds.length][];
                for (int i = 0; i < bounds.length; i++) {
                    leSuffixes[unit][i] = (buckets.label(i, unit == 0) + "\"} ").getBytes(StandardCharsets.UTF_8);
                }
            }
        }
    }

    /** Native buckets over the registry's slots: position 0 the zero bucket, else index - lowestIndex + 1. */
    private static final class NativeLayout {
        final BucketLayout layout;
        int lowestIndex;

        NativeLayout(PerfRegistry registry, int schema, boolean bytes) {
            NativeHistogram.Builder builder = new NativeHistogram.Builder();
            builder.start(schema, bytes);
            boolean[] first = {true};
            this.layout = registry.bucketLayout(highest -> {
                builder.bucket(highest, highest, 1);
                if (highest == 0) {
                    return 0;
                }
                int index = builder.index(builder.size() - 1);
                if (first[0]) {
                    lowestIndex = index;
                    first[0] = false;
                }
                return index - lowestIndex + 1;
            });
        }
    }

    /**
     * One timer's pre-rendered text and names. Created under the exporter's lock; in an export, used (and its last
     * max updated) by the one thread that claimed its part.
     */
    private static final class TimerText {
        final PrometheusProtobuf.Names names;
        final boolean bytes;
        final HistogramBuckets buckets;
        final ClassicLayout classic;
        final NativeLayout nativeLayout;
        final byte[][] leSuffixes;
        final byte[] header;
        final byte[] bucketPrefix;
        final byte[] infPrefix;
        final byte[] sumPrefix;
        final byte[] countPrefix;
        final byte[] maxPrefix;
        final byte[] errorsHeader;
        final byte[] errorsEmpty;
        final String errorsPrefix;
        long lastMax = -1;
        byte[] lastMaxText;

        TimerText(TimerId id, boolean bytes, HistogramBuckets buckets, ClassicLayout classic,
                  NativeLayout nativeLayout) {
            String timerName = id.name();
            String name = PrometheusText.sanitizeName(id.name());
            String base = name + (bytes ? "_bytes" : "_seconds");
            String help = id.description().isEmpty() ? id.name() : id.name() + ": " + id.description();
            Map<String, String> sorted = new TreeMap<>();
            id.tags().forEach((key, value) -> sorted.put(PrometheusText.labelName(key), value));
            this.names = new PrometheusProtobuf.Names(timerName, name, base, help, sorted);
            this.bytes = bytes;
            this.buckets = buckets;
            this.classic = classic;
            this.nativeLayout = nativeLayout;
            this.leSuffixes = classic.leSuffixes[bytes ? 1 : 0];
            String labelText = PrometheusText.labels(id.tags());
            String braces = labelText.isEmpty() ? "" : "{" + labelText + "}";
            String comma = labelText.isEmpty() ? "" : labelText + ",";
            this.header = utf8("# HELP " + base + ' ' + PrometheusText.escapeHelp(help) + "\n# TYPE " + base
                    + " histogram\n");
            String bucket = base + "_bucket{" + comma + "le=\"";
            this.bucketPrefix = utf8(bucket);
            this.infPrefix = utf8(bucket + "+Inf\"} ");
            this.sumPrefix = utf8(base + "_sum" + braces + ' ');
            this.countPrefix = utf8(base + "_count" + braces + ' ');
            this.maxPrefix = utf8("# HELP " + base + "_max " + PrometheusText.escapeHelp("maximum of " + id.name())
                    + "\n# TYPE " + base + "_max gauge\n" + base + "_max" + braces + ' ');
            String errors = name + "_errors";
            this.errorsHeader = utf8("# HELP " + errors + "_total "
                    + PrometheusText.escapeHelp("calls of " + id.name() + " that threw, by exception class")
                    + "\n# TYPE " + errors + "_total counter\n");
            this.errorsEmpty = utf8(errors + "_total" + braces + " 0\n");
            this.errorsPrefix = errors + "_total{" + comma + "exception=\"";
        }

        private static byte[] utf8(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }

        /** The lines of {@code PrometheusText} for this timer's histogram, max and errors. */
        void writeText(ByteText out, BucketReading r) {
            out.append(header);
            BucketReading.Buckets b = r.first();
            long running = 0;
            for (int bound = 0; bound < leSuffixes.length; bound++) {
                running += b.countOf(bound);
                out.append(bucketPrefix).append(leSuffixes[bound]).append(running).append('\n');
            }
            out.append(infPrefix).append(r.count()).append('\n');
            out.append(sumPrefix);
            if (bytes) {
                out.append(r.total());
            } else {
                out.append(r.total() * 1e-9);
            }
            out.append('\n');
            out.append(countPrefix).append(r.count()).append('\n');
            out.append(maxPrefix);
            if (r.max() != lastMax) {
                lastMax = r.max();
                lastMaxText = Double.toString(bytes ? (double) r.max() : r.max() * 1e-9)
                        .getBytes(StandardCharsets.US_ASCII);
            }
            out.append(lastMaxText).append('\n');
            out.append(errorsHeader);
            Map<String, Long> byType = r.errorsByType();
            if (byType.isEmpty()) {
                out.append(errorsEmpty);
            } else {
                for (Map.Entry<String, Long> e : new TreeMap<>(byType).entrySet()) {
                    out.append(errorsPrefix).append(PrometheusText.escapeLabel(e.getKey())).append("\"} ")
                            .append((long) e.getValue()).append('\n');
                }
            }
        }
    }
}
