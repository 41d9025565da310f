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

/**
 * The Prometheus expositions of one registry, read straight from its timers: the bytes of
 * {@link PrometheusText#render(java.util.List, PrometheusOptions)} and of
 * {@link PrometheusProtobuf#render(java.util.List, PrometheusOptions)} of {@code registry.snapshots()}, without
 * building the snapshots. Each timer's histogram is read through {@link PerfTimer#readBuckets} into the classic
 * buckets and the native buckets directly (a slot-to-bucket map computed once per bucket layout), and the text of each
 * timer's series names and labels is rendered once, when the timer is first exported. The {@code SUMMARY} kind needs
 * quantiles and goes through the snapshots.
 *
 * <p><b>Thread-safety.</b> Thread-safe; one export at a time per exporter (exports of one exporter wait for each
 * other, never for writers: reading never blocks recording).
 *
 * <p><b>Memory.</b> Per timer, its pre-rendered series prefixes (a few hundred bytes); per bucket layout, one
 * {@code int} per histogram slot; one reusable output buffer, as large as the largest export.
 */
public final class PrometheusExporter {

    private final PerfRegistry registry;
    private final PrometheusOptions options;
    private final BucketReading reading;
    private final Map<HistogramBuckets, ClassicLayout> classicLayouts = new HashMap<>();
    private final NativeLayout[] nativeLayouts = new NativeLayout[2];
    private final Map<PerfTimer, TimerText> timerTexts = new HashMap<>();
    private final ByteText text = new ByteText(1 << 16);
    private final PrometheusProtobuf.Encoder encoder = new PrometheusProtobuf.Encoder(1 << 16);
    private int[] nativeIndexes = new int[64];
    private long[] nativeCounts = new long[64];

    /**
     * An exporter of {@code registry}'s timers with {@code options} (bounds in the timers' units).
     *
     * @throws NullPointerException if either is null
     */
    public PrometheusExporter(PerfRegistry registry, PrometheusOptions options) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.options = Objects.requireNonNull(options, "options");
        this.reading = new BucketReading(registry);
    }

    /**
     * The Prometheus text exposition (version 0.0.4) of every timer, sorted by name, in UTF-8: the bytes of
     * {@code PrometheusText.render(registry.snapshots(), options)}.
     */
    public synchronized byte[] text() {
        if (options.kind() != PrometheusOptions.Kind.HISTOGRAM) {
            return PrometheusText.render(registry.snapshots(), options).getBytes(StandardCharsets.UTF_8);
        }
        List<PerfTimer> timers = registry.timers();
        ByteText out = text;
        out.reset();
        for (PerfTimer timer : timers) {
            TimerText t = timerText(timer);
            timer.readBuckets(t.classic.layout, null, reading);
            t.writeText(out, reading);
        }
        return out.toByteArray();
    }

    /**
     * The Prometheus protobuf exposition of every timer, sorted by name, with classic and native buckets: the bytes of
     * {@code PrometheusProtobuf.render(registry.snapshots(), options)}.
     */
    public synchronized byte[] protobuf() {
        if (options.kind() != PrometheusOptions.Kind.HISTOGRAM) {
            return PrometheusProtobuf.render(registry.snapshots(), options);
        }
        encoder.reset();
        for (PerfTimer timer : registry.timers()) {
            TimerText t = timerText(timer);
            timer.readBuckets(t.classic.layout, t.nativeLayout.layout, reading);
            BucketReading.Buckets classic = reading.first();
            long[] cumulative = t.classic.cumulative;
            cumulativeCounts(classic, cumulative);
            BucketReading.Buckets nat = reading.second();
            if (nativeIndexes.length < nat.size()) {
                nativeIndexes = new int[Math.max(nat.size(), nativeIndexes.length * 2)];
                nativeCounts = new long[nativeIndexes.length];
            }
            long zeroCount = 0;
            int size = 0;
            for (int i = 0; i < nat.size(); i++) {
                int position = nat.bucket(i);
                if (position == 0) {
                    zeroCount += nat.count(i);
                } else {
                    nativeIndexes[size] = position - 1 + t.nativeLayout.lowestIndex;
                    nativeCounts[size] = nat.count(i);
                    size++;
                }
            }
            double scale = t.bytes ? 1.0 : 1e-9;
            encoder.histogramTimer(t.timerName, t.name, t.base, t.help, t.labels, reading.count(),
                    reading.total() * scale, t.buckets, t.bytes, cumulative, options.nativeSchema(), zeroCount, size,
                    nativeIndexes, nativeCounts, reading.max() * scale, reading.errorsByType(),
                    reading.startEpochMillis());
        }
        return encoder.toByteArray();
    }

    /** {@code cumulative[i]}: values in buckets {@code 0..i}, for each finite bound {@code i}. */
    private static void cumulativeCounts(BucketReading.Buckets buckets, long[] cumulative) {
        long running = 0;
        int next = 0;
        for (int bound = 0; bound < cumulative.length; bound++) {
            while (next < buckets.size() && buckets.bucket(next) <= bound) {
                running += buckets.count(next++);
            }
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
        final long[] cumulative;
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
            this.cumulative = new long[bounds.length];
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

    /** One timer's pre-rendered text and names. Confined to the exporter's lock. */
    private static final class TimerText {
        final String timerName;
        final String name;
        final String base;
        final String help;
        final Map<String, String> labels;
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
        final String braces;
        final String comma;
        long lastMax = -1;
        byte[] lastMaxText;

        TimerText(TimerId id, boolean bytes, HistogramBuckets buckets, ClassicLayout classic,
                  NativeLayout nativeLayout) {
            this.timerName = id.name();
            this.name = PrometheusText.sanitizeName(id.name());
            this.base = name + (bytes ? "_bytes" : "_seconds");
            this.help = id.description().isEmpty() ? id.name() : id.name() + ": " + id.description();
            Map<String, String> sorted = new TreeMap<>();
            id.tags().forEach((key, value) -> sorted.put(PrometheusText.labelName(key), value));
            this.labels = sorted;
            this.bytes = bytes;
            this.buckets = buckets;
            this.classic = classic;
            this.nativeLayout = nativeLayout;
            this.leSuffixes = classic.leSuffixes[bytes ? 1 : 0];
            String labelText = PrometheusText.labels(id.tags());
            this.braces = labelText.isEmpty() ? "" : "{" + labelText + "}";
            this.comma = labelText.isEmpty() ? "" : labelText + ",";
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
            int next = 0;
            int n = b.size();
            for (int bound = 0; bound < leSuffixes.length; bound++) {
                while (next < n && b.bucket(next) <= bound) {
                    running += b.count(next++);
                }
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
