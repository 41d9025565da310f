package dev.perfkit.export;

import dev.perfkit.MetricUnit;
import dev.perfkit.TimerSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Prometheus protobuf exposition ({@code io.prometheus.client.MetricFamily} messages, each length-delimited), the
 * format that carries native histograms: the same families as {@link PrometheusSnapshots} (a histogram with classic
 * and native buckets, the exact count and the snapshot's total as sum, which is an estimate for a sampled timer; a
 * max gauge; an error counter by exception class), in the order given.
 *
 * <p>The messages are encoded here, straight from the snapshots' buckets, with no dependency: encoding through the
 * Prometheus Java client's model and {@code PrometheusProtobufWriter} allocates about 15 times as much for the same
 * families (see BENCHMARKS.md, "Exports"). {@code PrometheusProtobufTest} checks that both give the same messages. Stateless and
 * thread-safe.
 */
public final class PrometheusProtobuf {

    /** Content type of the exposition. */
    public static final String CONTENT_TYPE =
            "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

    private static final int TYPE_COUNTER = 0;
    private static final int TYPE_GAUGE = 1;
    private static final int TYPE_SUMMARY = 2;
    private static final int TYPE_HISTOGRAM = 4;

    private PrometheusProtobuf() {
    }

    /**
     * Writes cumulative {@code snapshots} to {@code out}.
     *
     * @throws IOException if {@code out} fails
     */
    public static void write(OutputStream out, List<TimerSnapshot> snapshots, PrometheusOptions options)
            throws IOException {
        Encoder encoder = new Encoder(1 << 16);
        for (TimerSnapshot s : snapshots) {
            encoder.timer(s, options);
            encoder.family.writeTo(out);
            encoder.family.reset();
        }
    }

    /** As {@link #write(OutputStream, List, PrometheusOptions)}, into a new array. */
    public static byte[] render(List<TimerSnapshot> snapshots, PrometheusOptions options) {
        Encoder encoder = new Encoder(2048 * snapshots.size());
        for (TimerSnapshot s : snapshots) {
            encoder.timer(s, options);
        }
        return encoder.family.toByteArray();
    }

    /** Protobuf wire format into reusable buffers: one per nesting level. */
    static final class Encoder {
        final Buffer family;
        final Buffer message = new Buffer(1 << 12);
        final Buffer metric = new Buffer(1 << 12);
        final Buffer body = new Buffer(1 << 12);
        final NativeHistogram.Builder nativeBuckets = new NativeHistogram.Builder();

        Encoder(int capacity) {
            family = new Buffer(Math.max(capacity, 1 << 12));
        }

        /** Forgets the families encoded so far; keeps the buffers. */
        void reset() {
            family.reset();
        }

        /** The families encoded so far, as a new array. */
        byte[] toByteArray() {
            return family.toByteArray();
        }

        void timer(TimerSnapshot s, PrometheusOptions options) {
            boolean bytes = s.unit() == MetricUnit.BYTES;
            double scale = bytes ? 1.0 : 1e-9;
            String name = PrometheusText.sanitizeName(s.name());
            String base = name + (bytes ? "_bytes" : "_seconds");
            String help = s.id().description().isEmpty() ? s.name() : s.name() + ": " + s.id().description();
            Map<String, String> labels = new TreeMap<>();
            s.id().tags().forEach((key, value) -> labels.put(PrometheusText.labelName(key), value));

            if (options.kind() == PrometheusOptions.Kind.HISTOGRAM) {
                HistogramBuckets buckets = options.bucketsFor(s);
                NativeHistogram.Builder n = nativeBuckets;
                n.reset(s, options.nativeSchema());
                histogramTimer(s.name(), name, base, help, labels, s.count(), s.total() * scale, buckets, bytes,
                        buckets.cumulativeCounts(s), n.schema(), n.zeroCount(), n.size(), n.indexArray(),
                        n.countArray(), s.max() * scale, s.errorsByType(), s.startEpochMillis());
                return;
            }
            body.reset();
            body.varintField(1, s.count());
            body.doubleField(2, s.total() * scale);
            long[] values = {s.p50(), s.p90(), s.p99(), s.p999()};
            double[] quantiles = {0.5, 0.9, 0.99, 0.999};
            for (int q = 0; q < 4; q++) {
                body.tag(3, 2);
                body.varint(18);
                body.doubleField(1, quantiles[q]);
                body.doubleField(2, values[q] * scale);
            }
            startFamily(base, help, TYPE_SUMMARY);
            metric(labels, null, null, 4);
            endFamily();
            maxAndErrors(s.name(), name, base, labels, s.max() * scale, s.errorsByType(), s.startEpochMillis());
        }

        /**
         * The three families of one histogram timer from their parts: {@code cumulative} counts at the finite bounds
         * of {@code buckets}, the native buckets ({@code nativeSize} of them) at {@code schema}, values already in
         * the exposition's unit (seconds or bytes); {@code labels} sorted by name.
         */
        void histogramTimer(String timerName, String name, String base, String help, Map<String, String> labels,
                            long count, double sum, HistogramBuckets buckets, boolean bytes, long[] cumulative,
                            int schema, long zeroCount, int nativeSize, int[] nativeIndexes, long[] nativeCounts,
                            double max, Map<String, Long> errorsByType, long createdEpochMillis) {
            body.reset();
            histogram(count, sum, buckets, bytes, cumulative, schema, zeroCount, nativeSize, nativeIndexes,
                    nativeCounts);
            startFamily(base, help, TYPE_HISTOGRAM);
            metric(labels, null, null, 7);
            endFamily();
            maxAndErrors(timerName, name, base, labels, max, errorsByType, createdEpochMillis);
        }

        private void maxAndErrors(String timerName, String name, String base, Map<String, String> labels,
                                  double max, Map<String, Long> errorsByType, long createdEpochMillis) {
            body.reset();
            body.doubleField(1, max);
            startFamily(base + "_max", "maximum of " + timerName, TYPE_GAUGE);
            metric(labels, null, null, 2);
            endFamily();

            startFamily(name + "_errors_total", "calls of " + timerName + " that threw, by exception class",
                    TYPE_COUNTER);
            if (errorsByType.isEmpty()) {
                counter(0, createdEpochMillis);
                metric(labels, null, null, 3);
            } else {
                for (Map.Entry<String, Long> e : new TreeMap<>(errorsByType).entrySet()) {
                    counter(e.getValue(), createdEpochMillis);
                    metric(labels, "exception", e.getKey(), 3);
                }
            }
            endFamily();
        }

        /** A Counter: its value and its created timestamp (a google.protobuf.Timestamp). */
        private void counter(double value, long createdEpochMillis) {
            body.reset();
            body.doubleField(1, value);
            long seconds = Math.floorDiv(createdEpochMillis, 1000L);
            long nanos = Math.floorMod(createdEpochMillis, 1000L) * 1_000_000L;
            int length = (seconds != 0 ? 1 + Buffer.varintSize(seconds) : 0)
                    + (nanos != 0 ? 1 + Buffer.varintSize(nanos) : 0);
            body.tag(3, 2);
            body.varint(length);
            if (seconds != 0) {
                body.varintField(1, seconds);
            }
            if (nanos != 0) {
                body.varintField(2, nanos);
            }
        }

        private void histogram(long count, double sum, HistogramBuckets buckets, boolean bytes, long[] cumulative,
                               int schema, long zeroCount, int nativeSize, int[] nativeIndexes,
                               long[] nativeCounts) {
            body.varintField(1, count);
            body.doubleField(2, sum);
            for (int i = 0; i <= cumulative.length; i++) {
                long bucketCount = i < cumulative.length ? cumulative[i] : count;
                double bound = i == cumulative.length ? Double.POSITIVE_INFINITY
                        : bytes ? buckets.upperBound(i) : buckets.upperBound(i) / 1e9;
                body.tag(3, 2);
                body.varint(1 + Buffer.varintSize(bucketCount) + 9);
                body.varintField(1, bucketCount);
                body.doubleField(2, bound);
            }
            body.tag(5, 0);
            body.varint(zigzag(schema));
            body.doubleField(6, 0.0);
            body.varintField(7, zeroCount);
            if (nativeSize == 0) {
                return;
            }
            // spans and deltas as PrometheusProtobufWriter makes them: gaps of 1 or 2 buckets are filled with zeros
            Buffer deltas = message;
            deltas.reset();
            deltas.ensure(30 * nativeSize); // a delta per bucket and at most two filled zeros before it
            int spanOffset = nativeIndexes[0];
            int spanLength = 0;
            int previousIndex = spanOffset;
            long previousCount = 0;
            for (int i = 0; i < nativeSize; i++) {
                int index = nativeIndexes[i];
                if (index > previousIndex + 1) {
                    if (index <= previousIndex + 3) {
                        while (index > previousIndex + 1) {
                            spanLength++;
                            previousIndex++;
                            deltas.varintUnchecked(zigzag(-previousCount));
                            previousCount = 0;
                        }
                    } else {
                        span(spanOffset, spanLength);
                        spanOffset = index - (previousIndex + 1);
                        spanLength = 0;
                    }
                }
                spanLength++;
                previousIndex = index;
                deltas.varintUnchecked(zigzag(nativeCounts[i] - previousCount));
                previousCount = nativeCounts[i];
            }
            span(spanOffset, spanLength);
            body.tag(13, 2); // packed sint64
            body.varint(deltas.size());
            body.append(deltas);
        }

        private void span(int offset, int length) {
            long zigzagOffset = zigzag(offset);
            body.tag(12, 2);
            body.varint(1 + Buffer.varintSize(zigzagOffset) + 1 + Buffer.varintSize(length));
            body.tag(1, 0);
            body.varint(zigzagOffset);
            body.tag(2, 0);
            body.varint(length);
        }

        private void startFamily(String name, String help, int type) {
            message.reset();
            message.stringField(1, name);
            message.stringField(2, help);
            message.varintField(3, type);
        }

        /** Appends a Metric (labels, then {@code body} as field {@code valueField}) to the family being built. */
        private void metric(Map<String, String> labels, String extraName, String extraValue, int valueField) {
            metric.reset();
            boolean extraDone = extraName == null;
            for (Map.Entry<String, String> label : labels.entrySet()) {
                if (!extraDone && extraName.compareTo(label.getKey()) < 0) {
                    label(extraName, extraValue);
                    extraDone = true;
                }
                label(label.getKey(), label.getValue());
            }
            if (!extraDone) {
                label(extraName, extraValue);
            }
            metric.tag(valueField, 2);
            metric.varint(body.size());
            metric.append(body);
            message.tag(4, 2);
            message.varint(metric.size());
            message.append(metric);
        }

        private void label(String name, String value) {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            metric.tag(1, 2);
            metric.varint(1 + Buffer.varintSize(n.length) + n.length + 1 + Buffer.varintSize(v.length) + v.length);
            metric.bytesField(1, n);
            metric.bytesField(2, v);
        }

        private void endFamily() {
            family.varint(message.size());
            family.append(message);
        }

        private static long zigzag(long value) {
            return (value << 1) ^ (value >> 63);
        }
    }

    /** A growable byte array with protobuf primitives. Not thread-safe. */
    private static final class Buffer {
        private byte[] bytes;
        private int size;

        Buffer(int capacity) {
            bytes = new byte[capacity];
        }

        int size() {
            return size;
        }

        void reset() {
            size = 0;
        }

        void ensure(int extra) {
            if (size + extra > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + extra));
            }
        }

        static int varintSize(long value) {
            return (63 - Long.numberOfLeadingZeros(value | 1)) / 7 + 1;
        }

        void varint(long value) {
            ensure(10);
            if ((value & ~0x7FL) == 0) {
                bytes[size++] = (byte) value;
                return;
            }
            while ((value & ~0x7FL) != 0) {
                bytes[size++] = (byte) ((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            bytes[size++] = (byte) value;
        }

        /** As {@link #varint(long)}, with room for it already {@linkplain #ensure ensured}. */
        void varintUnchecked(long value) {
            byte[] b = bytes;
            int n = size;
            while ((value & ~0x7FL) != 0) {
                b[n++] = (byte) ((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            b[n++] = (byte) value;
            size = n;
        }

        void tag(int field, int wireType) {
            varint(((long) field << 3) | wireType);
        }

        void varintField(int field, long value) {
            tag(field, 0);
            varint(value);
        }

        void doubleField(int field, double value) {
            tag(field, 1);
            ensure(8);
            long bits = Double.doubleToRawLongBits(value);
            for (int i = 0; i < 8; i++) {
                bytes[size++] = (byte) (bits >>> (8 * i));
            }
        }

        void bytesField(int field, byte[] value) {
            tag(field, 2);
            varint(value.length);
            ensure(value.length);
            System.arraycopy(value, 0, bytes, size, value.length);
            size += value.length;
        }

        void stringField(int field, String value) {
            bytesField(field, value.getBytes(StandardCharsets.UTF_8));
        }

        void append(Buffer other) {
            ensure(other.size);
            System.arraycopy(other.bytes, 0, bytes, size, other.size);
            size += other.size;
        }

        void writeTo(OutputStream out) throws IOException {
            out.write(bytes, 0, size);
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }
    }
}
