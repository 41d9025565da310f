package dev.perfkit.export;

import dev.perfkit.MetricUnit;
import dev.perfkit.TimerSnapshot;
import java.util.Arrays;

/**
 * A snapshot's histogram in the exponential bucket layout of Prometheus native histograms (and OpenTelemetry's
 * exponential histograms): bucket {@code k} of schema {@code s} holds values in {@code (2^((k-1)/2^s), 2^(k/2^s)]},
 * values in seconds for latency timers and in bytes for allocation timers; zeros go to the zero bucket (threshold 0).
 *
 * <p>Built from the snapshot's HdrHistogram buckets, never by recording twice: an HdrHistogram bucket goes to the
 * native bucket holding its highest value. See {@link PrometheusOptions} for the choice of schema and the error bound.
 * Immutable and thread-safe.
 */
public final class NativeHistogram {

    private final int schema;
    private final long zeroCount;
    private final int[] indexes;
    private final long[] counts;

    private NativeHistogram(int schema, long zeroCount, int[] indexes, long[] counts) {
        this.schema = schema;
        this.zeroCount = zeroCount;
        this.indexes = indexes;
        this.counts = counts;
    }

    /**
     * The native histogram of {@code snapshot} at {@code schema}.
     *
     * @throws IllegalArgumentException if {@code schema} is not -4 to 8
     */
    public static NativeHistogram of(TimerSnapshot snapshot, int schema) {
        if (schema < -4 || schema > 8) {
            throw new IllegalArgumentException("native schema must be -4 to 8, was " + schema);
        }
        Builder b = new Builder();
        b.reset(snapshot, schema);
        return b.build();
    }

    public int schema() {
        return schema;
    }

    /** Values equal to 0. */
    public long zeroCount() {
        return zeroCount;
    }

    /** Number of non-empty positive buckets. */
    public int size() {
        return indexes.length;
    }

    /** Index {@code k} of the {@code i}-th non-empty bucket, increasing with {@code i}. */
    public int index(int i) {
        return indexes[i];
    }

    /** Count (not cumulative) of the {@code i}-th non-empty bucket. */
    public long count(int i) {
        return counts[i];
    }

    /** The indexes of the non-empty buckets (a copy). */
    public int[] indexes() {
        return indexes.clone();
    }

    /** The counts of the non-empty buckets (a copy). */
    public long[] counts() {
        return counts.clone();
    }

    /** Upper bound of bucket {@code index} at {@code schema}: {@code 2^(index / 2^schema)}. */
    public static double upperBound(int schema, int index) {
        if (schema <= 0) {
            return Math.scalb(1.0, index << -schema);
        }
        double[] table = FRACTIONS[schema];
        return Math.scalb(table[index & (table.length - 1)], index >> schema);
    }

    /** {@code FRACTIONS[s][j] = 2^(j / 2^s)} for schemas 1 to 8. */
    private static final double[][] FRACTIONS = new double[9][];

    static {
        for (int s = 1; s <= 8; s++) {
            double[] table = new double[1 << s];
            for (int j = 0; j < table.length; j++) {
                table[j] = Math.pow(2, (double) j / table.length);
            }
            FRACTIONS[s] = table;
        }
    }

    /** Index of the bucket holding {@code value > 0} at {@code schema}: {@code ceil(log2(value) * 2^schema)}. */
    public static int indexOf(int schema, double value) {
        int k = (int) Math.ceil(Math.scalb(Math.log(value) / Math.log(2), schema));
        // correct the rounding of log near a bound, so that upperBound(k - 1) < value <= upperBound(k)
        while (upperBound(schema, k) < value) {
            k++;
        }
        while (upperBound(schema, k - 1) >= value) {
            k--;
        }
        return k;
    }

    /**
     * Maps integer values to bucket indexes of one schema ({@code >= 0}) and scale without a logarithm per value:
     * with {@code n = 2^schema} buckets per octave, a value {@code v = m * 2^e} ({@code 1 <= m < 2}) falls in bucket
     * {@code n*e + floor(n*log2(scale)) + t}, where {@code t} counts the thresholds {@code 2^((j - f)/n)}, {@code j =
     * 0..n}, below {@code m} ({@code f} the fractional part of {@code n*log2(scale)}): the same thresholds in every
     * octave.
     */
    private static final class Octaves {
        final int perOctave;
        final int offset;
        final double[] thresholds;

        Octaves(int schema, double scale) {
            this.perOctave = 1 << schema;
            double shift = perOctave * (Math.log(scale) / Math.log(2));
            this.offset = (int) Math.floor(shift);
            double fraction = shift - offset;
            this.thresholds = new double[perOctave + 1];
            for (int j = 0; j <= perOctave; j++) {
                thresholds[j] = Math.pow(2, (j - fraction) / perOctave);
            }
        }

        private static final Octaves[][] CACHE = new Octaves[9][2];

        static Octaves of(int schema, boolean seconds) {
            Octaves cached = CACHE[schema][seconds ? 1 : 0];
            if (cached == null) {
                cached = new Octaves(schema, seconds ? 1e-9 : 1.0);
                CACHE[schema][seconds ? 1 : 0] = cached; // a benign race: equal tables
            }
            return cached;
        }
    }

    /**
     * Walks HdrHistogram buckets in increasing order and finds the native bucket only when a value leaves one. Reusable
     * for one snapshot after another (the encoder keeps one). Not thread-safe.
     */
    static final class Builder implements TimerSnapshot.BucketVisitor {
        private int schema;
        private double scale;
        private Octaves octaves;
        private long zeroCount;
        private int size;
        private int[] indexes = new int[64];
        private long[] counts = new long[64];
        /** Upper bound of the current native bucket, in the timer's unit. */
        private double currentUpper = Double.NaN;
        private int lastOctave = -1;
        private int lastT;

        /** Replaces the content with the native histogram of {@code snapshot} at {@code schema} (-4 to 8). */
        void reset(TimerSnapshot snapshot, int schema) {
            start(schema, snapshot.unit() == MetricUnit.BYTES);
            snapshot.forEachBucket(this);
        }

        /** Empties the content, for buckets of {@code schema} (-4 to 8) to be fed through {@link #bucket}. */
        void start(int schema, boolean bytes) {
            this.schema = schema;
            this.scale = bytes ? 1.0 : 1e-9;
            this.octaves = schema >= 0 ? Octaves.of(schema, scale != 1.0) : null;
            this.zeroCount = 0;
            this.size = 0;
            this.currentUpper = Double.NaN;
            this.lastOctave = -1;
            this.lastT = 0;
        }

        int schema() {
            return schema;
        }

        long zeroCount() {
            return zeroCount;
        }

        int size() {
            return size;
        }

        int index(int i) {
            return indexes[i];
        }

        long count(int i) {
            return counts[i];
        }

        /** The indexes of the buckets, valid up to {@link #size()}; shared, not a copy. */
        int[] indexArray() {
            return indexes;
        }

        /** The counts of the buckets, valid up to {@link #size()}; shared, not a copy. */
        long[] countArray() {
            return counts;
        }

        @Override
        public void bucket(long lowestValue, long highestValue, long count) {
            if (highestValue == 0) {
                zeroCount += count;
                return;
            }
            if (size == 0 || highestValue > currentUpper) {
                int index;
                if (octaves != null) {
                    int e = 63 - Long.numberOfLeadingZeros(highestValue);
                    double power = (double) (1L << e);
                    double m = highestValue / power;
                    double[] thresholds = octaves.thresholds;
                    int t;
                    if (e == lastOctave) { // values increase: scan on from the previous bucket of this octave
                        t = lastT;
                        while (t < thresholds.length && thresholds[t] < m) {
                            t++;
                        }
                    } else { // first threshold >= m
                        t = 0;
                        int high = thresholds.length;
                        while (t < high) {
                            int mid = (t + high) >>> 1;
                            if (thresholds[mid] < m) {
                                t = mid + 1;
                            } else {
                                high = mid;
                            }
                        }
                        lastOctave = e;
                    }
                    lastT = t;
                    index = octaves.perOctave * e + octaves.offset + t;
                    currentUpper = t < thresholds.length ? thresholds[t] * power
                            : thresholds[t - octaves.perOctave] * power * 2;
                } else {
                    index = indexOf(schema, highestValue * scale);
                    currentUpper = upperBound(schema, index) / scale;
                }
                if (size == indexes.length) {
                    indexes = Arrays.copyOf(indexes, size * 2);
                    counts = Arrays.copyOf(counts, size * 2);
                }
                indexes[size] = index;
                counts[size] = 0;
                size++;
            }
            counts[size - 1] += count;
        }

        NativeHistogram build() {
            return new NativeHistogram(schema, zeroCount, Arrays.copyOf(indexes, size), Arrays.copyOf(counts, size));
        }
    }
}
