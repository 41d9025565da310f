package dev.perfkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class StripedHistogramReadTest {

    private static final HistogramLayout LAYOUT = new HistogramLayout(3_600_000_000_000L, 2);

    @Test
    void read_fromSeveralWritingThreads_equalsAnHdrHistogramOfTheSameValues_slotBySlot() throws Exception {
        StripedHistogram striped = new StripedHistogram(LAYOUT);
        Histogram expected = LAYOUT.newHistogram();
        int threads = 4;
        long[][] values = new long[threads][];
        for (int t = 0; t < threads; t++) {
            values[t] = values(new SplittableRandom(t), 50_000);
            for (long v : values[t]) {
                expected.recordValue(v);
            }
        }
        CountDownLatch start = new CountDownLatch(1);
        Thread[] writers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            long[] mine = values[t];
            writers[t] = new Thread(() -> {
                awaitQuietly(start);
                for (long v : mine) {
                    striped.record(v);
                }
            });
            writers[t].start();
        }
        start.countDown();
        for (Thread writer : writers) {
            writer.join();
        }

        SparseCounts read = striped.read();

        assertSameSlots(read, expected);
        long sum = 0;
        for (long[] perThread : values) {
            for (long v : perThread) {
                sum += v;
            }
        }
        assertThat(striped.sum()).isEqualTo(sum);
    }

    @Test
    void difference_ofTwoReadings_holdsExactlyWhatWasRecordedBetweenThem() {
        StripedHistogram striped = new StripedHistogram(LAYOUT);
        long[] before = values(new SplittableRandom(1), 20_000);
        long[] between = values(new SplittableRandom(2), 30_000);
        for (long v : before) {
            striped.record(v);
        }
        SparseCounts first = striped.read();
        Histogram expected = LAYOUT.newHistogram();
        for (long v : between) {
            striped.record(v);
            expected.recordValue(v);
        }
        SparseCounts second = striped.read();

        assertSameSlots(SparseCounts.difference(second, first), expected);
        assertThat(SparseCounts.difference(second, null)).isSameAs(second);
        assertThat(SparseCounts.difference(second, second).size()).isZero();
    }

    @Test
    void emptyHistogram_readsAsNoSlots() {
        SparseCounts read = new StripedHistogram(LAYOUT).read();

        assertThat(read.size()).isZero();
        assertThat(read.totalCount()).isZero();
        assertThat(read.max()).isZero();
        assertThat(read.valueAtPercentile(99)).isZero();
    }

    /** Values over six decades, from 0 to about an hour in nanoseconds, log-uniform. */
    private static long[] values(SplittableRandom random, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = random.nextInt(100) == 0 ? 0 : (long) Math.pow(10, 3 + random.nextDouble() * 9);
        }
        return out;
    }

    private static void assertSameSlots(SparseCounts actual, Histogram expected) {
        Histogram rebuilt = actual.toHistogram();
        assertThat(rebuilt.getTotalCount()).isEqualTo(expected.getTotalCount());
        assertThat(actual.totalCount()).isEqualTo(expected.getTotalCount());
        int slots = 0;
        for (var value : expected.recordedValues()) {
            assertThat(rebuilt.getCountAtValue(value.getValueIteratedTo()))
                    .as("count at %d", value.getValueIteratedTo()).isEqualTo(value.getCountAtValueIteratedTo());
            slots++;
        }
        assertThat(actual.size()).isEqualTo(slots);
        double[] percentiles = {0, 0.1, 50, 90, 99, 99.9, 99.999, 100};
        long[] onePass = new long[percentiles.length];
        actual.valuesAtPercentiles(percentiles, onePass);
        for (int i = 0; i < percentiles.length; i++) {
            double p = percentiles[i];
            assertThat(actual.valueAtPercentile(p)).as("p%s", p).isEqualTo(expected.getValueAtPercentile(p));
            assertThat(onePass[i]).as("p%s in one pass", p).isEqualTo(expected.getValueAtPercentile(p));
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
