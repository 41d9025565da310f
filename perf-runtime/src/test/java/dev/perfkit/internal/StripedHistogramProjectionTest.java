package dev.perfkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** {@link StripedHistogram#readInto} against {@link StripedHistogram#read()} on the same histogram. */
class StripedHistogramProjectionTest {

    private static final HistogramLayout LAYOUT = new HistogramLayout(3_600_000_000_000L, 2);

    @Test
    void readInto_fromSeveralCells_givesTheSlotsOfRead_thoughEveryProjection() throws Exception {
        StripedHistogram striped = new StripedHistogram(LAYOUT);
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        Thread[] writers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            SplittableRandom random = new SplittableRandom(t);
            writers[t] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < 50_000; i++) {
                    striped.record(random.nextInt(100) == 0 ? 0 : (long) Math.pow(10, 3 + random.nextDouble() * 9));
                }
            });
            writers[t].start();
        }
        start.countDown();
        for (Thread writer : writers) {
            writer.join();
        }

        SlotProjection identity = SlotProjection.of(LAYOUT, new java.util.function.LongToIntFunction() {
            int slot = 0;

            @Override
            public int applyAsInt(long highest) {
                return slot++;
            }
        });
        // powers of ten, as classic bounds: bucket i holds highest values up to 10^i
        SlotProjection decades = SlotProjection.of(LAYOUT, highest -> highest == 0 ? 0
                : (int) Math.ceil(Math.log10(highest)));
        ProjectedCounts bySlot = new ProjectedCounts();
        ProjectedCounts byDecade = new ProjectedCounts();
        int top = striped.readInto(identity, bySlot, decades, byDecade, new long[LAYOUT.chunkLength() + 1]);
        SparseCounts read = striped.read();

        assertThat(bySlot.size()).isEqualTo(read.size());
        for (int i = 0; i < read.size(); i++) {
            assertThat(LAYOUT.lowestValueAt(bySlot.bucket(i))).isEqualTo(read.lowestValue(i));
            assertThat(bySlot.count(i)).isEqualTo(read.count(i));
        }
        assertThat(bySlot.total()).isEqualTo(read.totalCount()).isEqualTo(threads * 50_000L);
        assertThat(LAYOUT.highestValueAt(top)).isEqualTo(read.max());
        long[] expected = new long[decades.bucketCount()];
        for (int i = 0; i < read.size(); i++) {
            expected[decades.bucketOf(LAYOUT.index(read.lowestValue(i)))] += read.count(i);
        }
        long total = 0;
        for (int i = 0; i < byDecade.size(); i++) {
            assertThat(byDecade.count(i)).isEqualTo(expected[byDecade.bucket(i)]).isPositive();
            total += byDecade.count(i);
        }
        assertThat(total).isEqualTo(read.totalCount());
        assertThat(striped.cellCount()).as("the test wrote from several cells").isGreaterThanOrEqualTo(1);
    }

    @Test
    void readInto_ofAnEmptyHistogram_givesNoBucketAndNoTop() {
        ProjectedCounts counts = new ProjectedCounts();
        counts.add(3, 5); // left over from an earlier reading: cleared
        int top = new StripedHistogram(LAYOUT).readInto(SlotProjection.of(LAYOUT, highest -> 0), counts, null, null,
                new long[LAYOUT.chunkLength() + 1]);

        assertThat(top).isEqualTo(-1);
        assertThat(counts.size()).isZero();
        assertThat(counts.total()).isZero();
    }

    @Test
    void projection_thatDecreases_isRefused() {
        assertThatThrownBy(() -> SlotProjection.of(LAYOUT, highest -> highest < 1000 ? 1 : 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("below the previous");
    }
}
