package dev.perfkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BucketReadingTest {

    @Test
    void readBuckets_givesTheSnapshotsCountTotalMaxAndErrors() {
        PerfRegistry registry = new PerfRegistry();
        PerfTimer timer = registry.timer("reading.one");
        timer.record(1_500);
        timer.record(2_000_000);
        timer.recordError(700, new IllegalStateException());
        BucketLayout decades = registry.bucketLayout(highest -> highest == 0 ? 0 : (int) Math.ceil(Math.log10(highest)));
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
}
