package dev.perfkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BucketReadingTest {

    /** Bucket {@code d}: slots whose highest value is in (10^(d-1), 10^d]; 700 in 3, 1,500 in 4, 2,000,000 in 7. */
    private static BucketLayout decades(PerfRegistry registry) {
        return registry.bucketLayout(highest -> highest == 0 ? 0 : (int) Math.ceil(Math.log10(highest)));
    }

    @Test
    void readBuckets_givesTheSnapshotsCountTotalMaxAndErrors() {
        PerfRegistry registry = new PerfRegistry();
        PerfTimer timer = registry.timer("reading.one");
        timer.record(1_500);
        timer.record(2_000_000);
        timer.recordError(700, new IllegalStateException());
        BucketLayout decades = decades(registry);
        BucketReading reading = new BucketReading(registry);

        timer.readBuckets(decades, null, reading);
        TimerSnapshot snapshot = timer.snapshot();

        assertThat(reading.count()).isEqualTo(snapshot.count()).isEqualTo(3);
        assertThat(reading.total()).isEqualTo(snapshot.total());
        assertThat(reading.max()).isEqualTo(snapshot.max());
        assertThat(reading.errorsByType()).isEqualTo(snapshot.errorsByType());
        assertThat(reading.startEpochMillis()).isEqualTo(snapshot.startEpochMillis());
        assertThat(reading.first().size()).isEqualTo(3);
        assertThat(reading.first().bucket(0)).isEqualTo(decades.bucketOf(700));
        assertThat(reading.second().size()).isZero();
    }

    @Test
    void readBuckets_refusesALayoutOrAReadingOfAnotherRegistry() {
        PerfRegistry registry = new PerfRegistry();
        PerfRegistry precise = new PerfRegistry(PerfConfig.builder().numberOfSignificantValueDigits(3).build());
        PerfTimer timer = registry.timer("reading.two");

        assertThatThrownBy(() -> timer.readBuckets(precise.bucketLayout(h -> 0), null, new BucketReading(registry)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another registry");
        assertThatThrownBy(() -> timer.readBuckets(registry.bucketLayout(h -> 0), null, new BucketReading(precise)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another precision");
    }

    @Test
    void buckets_readDenselyByNumber_inOneLayoutAndInTwo() throws Exception {
        PerfRegistry registry = new PerfRegistry();
        PerfTimer timer = registry.timer("reading.dense");
        BucketLayout decades = decades(registry);
        BucketLayout octaves = registry.bucketLayout(highest -> 64 - Long.numberOfLeadingZeros(highest));
        BucketReading reading = new BucketReading(registry);

        timer.readBuckets(decades, octaves, reading);
        assertThat(reading.first().lowest()).isEqualTo(-1);
        assertThat(reading.first().highest()).isEqualTo(-1);
        assertThat(reading.first().countOf(0)).isZero();

        timer.record(700); // decade 3, octave 10
        timer.record(1_500); // decade 4, octave 11
        Thread other = new Thread(() -> { // a writer of its own, as the exporter meets them
            timer.record(1_600); // decade 4, octave 11
            timer.record(2_000_000); // decade 7, octave 21
        });
        other.start();
        other.join();

        for (BucketLayout second : new BucketLayout[] {null, octaves}) {
            timer.readBuckets(decades, second, reading);
            BucketReading.Buckets byDecade = reading.first();
            assertThat(byDecade.lowest()).isEqualTo(3);
            assertThat(byDecade.highest()).isEqualTo(7);
            assertThat(new long[] {byDecade.countOf(2), byDecade.countOf(3), byDecade.countOf(4),
                    byDecade.countOf(5), byDecade.countOf(7), byDecade.countOf(8), byDecade.countOf(1_000)})
                    .containsExactly(0, 1, 2, 0, 1, 0, 0);
            long[] into = new long[8];
            Arrays.fill(into, -1);
            byDecade.copyCounts(2, 9, into);
            assertThat(into).containsExactly(0, 1, 2, 0, 0, 1, 0, -1);
            assertThatThrownBy(() -> byDecade.copyCounts(0, 9, new long[8]))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> byDecade.copyCounts(-1, 3, new long[8]))
                    .isInstanceOf(IndexOutOfBoundsException.class);
        }
        BucketReading.Buckets byOctave = reading.second();
        assertThat(byOctave.lowest()).isEqualTo(10);
        assertThat(byOctave.highest()).isEqualTo(21);
        assertThat(new long[] {byOctave.countOf(10), byOctave.countOf(11), byOctave.countOf(12), byOctave.countOf(21)})
                .containsExactly(1, 2, 0, 1);
    }
}
