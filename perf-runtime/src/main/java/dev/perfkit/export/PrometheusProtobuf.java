package dev.perfkit.export;

import dev.perfkit.MetricUnit;
import dev.perfkit.TimerSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
 * Prometheus Java client's model and {@code PrometheusProtobufWriter} would build model objects for every timer and
 * bucket on every scrape. {@code PrometheusProtobufTest} checks that both give the same messages. Stateless and
 * thread-safe.
 */
public final class PrometheusProtobuf {

    /** Content type of the exposition. */
    public static final String CONTENT_TYPE =
            "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

    private static final VarHandle LITTLE_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
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
        private int[] spanOffsets = new int[16];
        private int[] spanLengths = new int[16];
        private HistogramBuckets bitsOf;
        private boolean bitsInBytes;
        private long[] boundBits;
        /** Native bucket counts, dense from the lowest non-empty index, for the snapshot path. */
        private long[] dense = new long[64];

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

        /** Bytes encoded so far. */
        int size() {
            return family.size;
        }

        /** Copies the encoded bytes {@code from .. to - 1} into {@code into} at {@code at}. */
        void copy(int from, int to, byte[] into, int at) {
            System.arraycopy(family.bytes, from, into, at, to - from);
        }

        void timer(TimerSnapshot s, PrometheusOptions options) {
            boolean bytes = s.unit() == MetricUnit.BYTES;
            double scale = bytes ? 1.0 : 1e-9;
            String name = PrometheusText.sanitizeName(s.name());
            String base = name + (bytes ? "_bytes" : "_seconds");
            String help = s.id().description().isEmpty() ? s.name() : s.name() + ": " + s.id().description();
            Map<String, String> labels = new TreeMap<>();
            s.id().tags().forEach((key, value) -> labels.put(PrometheusText.labelName(key), value));
            Names names = new Names(s.name(), name, base, help, labels);

            if (options.kind() == PrometheusOptions.Kind.HISTOGRAM) {
                HistogramBuckets buckets = options.bucketsFor(s);
                NativeHistogram.Builder n = nativeBuckets;
                n.reset(s, options.nativeSchema());
                int length = denseNative(n.size(), n.indexArray(), n.countArray());
                histogramTimer(names, s.count(), s.total() * scale, buckets, bytes,
                        buckets.cumulativeCounts(s), n.schema(), n.zeroCount(),
                        length == 0 ? 0 : n.indexArray()[0], dense, length, s.max() * scale, s.errorsByType(),
                        s.startEpochMillis());
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
            startFamily(names.summaryHead);
            metric(names, null, null, 4);
            endFamily();
            maxAndErrors(names, s.max() * scale, s.errorsByType(), s.startEpochMillis());
        }

        /** The bits of each upper bound of {@code buckets} in the exposition's unit, +Inf last; the last ones kept. */
        private long[] boundBits(HistogramBuckets buckets, boolean bytes) {
            if (buckets != bitsOf || bytes != bitsInBytes) {
                long[] bits = new long[buckets.size() + 1];
                for (int i = 0; i < buckets.size(); i++) {
                    bits[i] = Double.doubleToRawLongBits(bytes ? buckets.upperBound(i) : buckets.upperBound(i) / 1e9);
                }
                bits[buckets.size()] = Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);
                boundBits = bits;
                bitsOf = buckets;
                bitsInBytes = bytes;
            }
            return boundBits;
        }

        /** Spreads {@code size} non-empty native buckets (increasing indexes) densely into {@link #dense}. */
        private int denseNative(int size, int[] indexes, long[] counts) {
            if (size == 0) {
                return 0;
            }
            int length = indexes[size - 1] - indexes[0] + 1;
            if (dense.length < length) {
                dense = new long[Math.max(length, dense.length * 2)];
            }
            Arrays.fill(dense, 0, length, 0L);
            for (int i = 0; i < size; i++) {
                dense[indexes[i] - indexes[0]] = counts[i];
            }
            return length;
        }

        /**
         * The three families of one histogram timer from their parts: {@code cumulative} counts at the finite bounds
         * of {@code buckets}; the native buckets at {@code schema}, dense: {@code nativeCounts[i]} the count of index
         * {@code firstIndex + i} for {@code i < nativeLength}, the first and last non-zero; values already in the
         * exposition's unit (seconds or bytes); {@code labels} sorted by name.
         */
        void histogramTimer(Names names, long count, double sum, HistogramBuckets buckets, boolean bytes, long[] cumulative,
                            int schema, long zeroCount, int firstIndex, long[] nativeCounts, int nativeLength,
                            double max, Map<String, Long> errorsByType, long createdEpochMillis) {
            body.reset();
            histogram(count, sum, buckets, bytes, cumulative, schema, zeroCount, firstIndex, nativeCounts,
                    nativeLength);
            startFamily(names.histogramHead);
            metric(names, null, null, 7);
            endFamily();
            maxAndErrors(names, max, errorsByType, createdEpochMillis);
        }

        private void maxAndErrors(Names names, double max, Map<String, Long> errorsByType, long createdEpochMillis) {
            body.reset();
            body.doubleField(1, max);
            startFamily(names.maxHead);
            metric(names, null, null, 2);
            endFamily();

            startFamily(names.errorsHead);
            if (errorsByType.isEmpty()) {
                counter(0, createdEpochMillis);
                metric(names, null, null, 3);
            } else {
                for (Map.Entry<String, Long> e : new TreeMap<>(errorsByType).entrySet()) {
                    counter(e.getValue(), createdEpochMillis);
                    metric(names, "exception", e.getKey(), 3);
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
                               int schema, long zeroCount, int firstIndex, long[] nativeCounts, int nativeLength) {
            body.varintField(1, count);
            body.doubleField(2, sum);
            long[] bits = boundBits(buckets, bytes);
            int bounds = buckets.size(); // cumulative may be longer
            body.ensure(21 * (bounds + 1));
            byte[] classic = body.bytes;
            int at = body.size;
            for (int i = 0; i <= bounds; i++) { // Bucket {cumulative_count = 1, upper_bound = 2}
                long bucketCount = i < bounds ? cumulative[i] : count;
                classic[at++] = (3 << 3) | 2;
                classic[at++] = (byte) (1 + Buffer.varintSize(bucketCount) + 9);
                classic[at++] = (1 << 3);
                long value = bucketCount;
                while ((value & ~0x7FL) != 0) {
                    classic[at++] = (byte) ((value & 0x7F) | 0x80);
                    value >>>= 7;
                }
                classic[at++] = (byte) value;
                classic[at++] = (2 << 3) | 1;
                LITTLE_ENDIAN_LONG.set(classic, at, bits[i]);
                at += 8;
            }
            body.size = at;
            body.tag(5, 0);
            body.varint(zigzag(schema));
            body.doubleField(6, 0.0);
            body.varintField(7, zeroCount);
            if (nativeLength == 0) {
                return;
            }
            // Spans and deltas as PrometheusProtobufWriter makes them: a gap of 1 or 2 empty buckets stays in the span
            // as zeros, a longer one starts a new span; each delta is against the previous bucket written. Every
            // bucket's delta is written as if it stayed in the span (no branch on whether a count is zero); when a
            // non-empty bucket follows 3 or more empty ones, the deltas written for them are taken back.
            Buffer deltas = message;
            deltas.reset();
            deltas.ensure(10 * nativeLength);
            int spans = deltas(nativeCounts, nativeLength, firstIndex, deltas);
            body.ensure(24 * spans);
            byte[] spanBytes = body.bytes;
            int pos = body.size;
            for (int k = 0; k < spans; k++) { // BucketSpan {sint32 offset = 1, uint32 length = 2} as field 12
                long offset = zigzag(spanOffsets[k]);
                int length = spanLengths[k];
                spanBytes[pos++] = (12 << 3) | 2;
                spanBytes[pos++] = (byte) (2 + Buffer.varintSize(offset) + Buffer.varintSize(length));
                spanBytes[pos++] = (1 << 3);
                pos = Buffer.varint(spanBytes, pos, offset);
                spanBytes[pos++] = (2 << 3);
                pos = Buffer.varint(spanBytes, pos, length);
            }
            body.size = pos;
            body.tag(13, 2); // packed sint64
            body.varint(deltas.size());
            body.append(deltas);
        }

        /**
         * Writes the deltas of {@code counts[0 .. length - 1]} (the first and last not 0) into {@code deltas} and the
         * spans into {@link #spanOffsets} and {@link #spanLengths}; returns the number of spans.
         */
        private int deltas(long[] counts, int length, int firstIndex, Buffer deltas) {
            if (spanOffsets.length < length / 4 + 1) { // a span but the last ends 4 or more before the next
                spanOffsets = new int[length / 4 + 1];
                spanLengths = new int[spanOffsets.length];
            }
            int[] offsets = spanOffsets;
            int[] lengths = spanLengths;
            byte[] out = deltas.bytes;
            int size = deltas.size;
            int spans = 0;
            int spanStart = 0; // position of the open span's first bucket
            int spanOffset = firstIndex;
            int zeros = 0; // empty buckets just before this one
            long previous = 0;
            for (int i = 0; i < length; i++) {
                long c = counts[i];
                if (zeros >= 3 && c != 0) { // rare: the end of a run of empty buckets
                    int lastFull = i - zeros - 1;
                    long lastFullCount = counts[lastFull];
                    // the deltas of the empty buckets: -lastFullCount, then zeros - 1 zeros of one byte each
                    size -= Buffer.varintSize(zigzag(-lastFullCount)) + zeros - 1;
                    offsets[spans] = spanOffset;
                    lengths[spans++] = lastFull - spanStart + 1;
                    spanOffset = zeros;
                    spanStart = i;
                    previous = lastFullCount;
                }
                long delta = c - previous;
                long value = (delta << 1) ^ (delta >> 63);
                while ((value & ~0x7FL) != 0) {
                    out[size++] = (byte) ((value & 0x7F) | 0x80);
                    value >>>= 7;
                }
                out[size++] = (byte) value;
                previous = c;
                int full = (int) ((c | -c) >> 63); // -1 when the bucket is not empty, else 0
                zeros = (zeros + 1) & ~full;
            }
            deltas.size = size;
            offsets[spans] = spanOffset; // the last span ends with the last bucket, which is not empty
            lengths[spans++] = length - spanStart;
            return spans;
        }

        private void startFamily(byte[] head) {
            message.reset();
            message.append(head);
        }

        /**
         * Appends a Metric (the timer's labels, with {@code extraName="extraValue"} in name order when not null, then
         * {@code body} as field {@code valueField}) to the family being built.
         */
        private void metric(Names names, String extraName, String extraValue, int valueField) {
            metric.reset();
            if (extraName == null) {
                metric.append(names.labels);
            } else {
                boolean extraDone = false;
                for (Map.Entry<String, String> label : names.labelMap.entrySet()) {
                    if (!extraDone && extraName.compareTo(label.getKey()) < 0) {
                        label(metric, extraName, extraValue);
                        extraDone = true;
                    }
                    label(metric, label.getKey(), label.getValue());
                }
                if (!extraDone) {
                    label(metric, extraName, extraValue);
                }
            }
            metric.tag(valueField, 2);
            metric.varint(body.size());
            metric.append(body);
            message.tag(4, 2);
            message.varint(metric.size());
            message.append(metric);
        }

        private static void label(Buffer into, String name, String value) {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            into.tag(1, 2);
            into.varint(1 + Buffer.varintSize(n.length) + n.length + 1 + Buffer.varintSize(v.length) + v.length);
            into.bytesField(1, n);
            into.bytesField(2, v);
        }

        private void endFamily() {
            family.varint(message.size());
            family.append(message);
        }

        private static long zigzag(long value) {
            return (value << 1) ^ (value >> 63);
        }
    }

    /**
     * One timer's family heads (name, help and type of its histogram or summary, max and error families) and its
     * labels, encoded once: the parts of its messages that every export repeats. Immutable; a direct exporter keeps one
     * per timer.
     */
    static final class Names {
        final byte[] histogramHead;
        final byte[] summaryHead;
        final byte[] maxHead;
        final byte[] errorsHead;
        /** The LabelPair fields of a Metric, sorted by name. */
        final byte[] labels;
        final Map<String, String> labelMap;

        /** {@code labels} sorted by name, as Prometheus label names. */
        Names(String timerName, String name, String base, String help, Map<String, String> labels) {
            this.histogramHead = head(base, help, TYPE_HISTOGRAM);
            this.summaryHead = head(base, help, TYPE_SUMMARY);
            this.maxHead = head(base + "_max", "maximum of " + timerName, TYPE_GAUGE);
            this.errorsHead = head(name + "_errors_total", "calls of " + timerName + " that threw, by exception class",
                    TYPE_COUNTER);
            Buffer pairs = new Buffer(64);
            labels.forEach((key, value) -> Encoder.label(pairs, key, value));
            this.labels = pairs.toByteArray();
            this.labelMap = labels;
        }

        private static byte[] head(String name, String help, int type) {
            Buffer head = new Buffer(64);
            head.stringField(1, name);
            head.stringField(2, help);
            head.varintField(3, type);
            return head.toByteArray();
        }
    }

    /** A growable byte array with protobuf primitives. Not thread-safe. */
    private static final class Buffer {
        byte[] bytes;
        int size;

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

        /** Writes {@code value} as a varint into {@code out} at {@code at}, which has room; returns the end. */
        static int varint(byte[] out, int at, long value) {
            while ((value & ~0x7FL) != 0) {
                out[at++] = (byte) ((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            out[at++] = (byte) value;
            return at;
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
            LITTLE_ENDIAN_LONG.set(bytes, size, Double.doubleToRawLongBits(value));
            size += 8;
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

        void append(byte[] piece) {
            ensure(piece.length);
            System.arraycopy(piece, 0, bytes, size, piece.length);
            size += piece.length;
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
