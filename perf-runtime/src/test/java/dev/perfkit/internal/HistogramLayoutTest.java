package dev.perfkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HistogramLayoutTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void index_agreesWithHdrHistogramOnEquivalentValues(int digits) {
        long highest = 3_600_000_000_000L;
        HistogramLayout layout = new HistogramLayout(highest, digits);
        Histogram reference = new Histogram(1, highest, digits);
        SplittableRandom random = new SplittableRandom(digits);
        for (int i = 0; i < 100_000; i++) {
            long value = i < 5_000 ? i : (long) Math.exp(random.nextDouble() * Math.log(highest));
            int index = layout.index(value);
            assertThat(layout.lowestValueAt(index)).as("value %d", value)
                    .isEqualTo(reference.lowestEquivalentValue(value));
            assertThat(layout.chunkOf(index)).isLessThan(layout.chunkCount());
            assertThat(layout.flatIndex(layout.chunkOf(index), layout.offsetInChunk(index))).isEqualTo(index);
        }
        assertThat(layout.chunkOf(layout.index(highest))).isLessThan(layout.chunkCount());
    }

    @Test
    void twoDigits_useOneKibChunks() {
        HistogramLayout layout = new HistogramLayout(3_600_000_000_000L, 2);

        assertThat(layout.chunkLength() * 8).isEqualTo(1024);
    }

    @Test
    void tooSmallRange_isRejected() {
        assertThatThrownBy(() -> new HistogramLayout(100, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 200");
    }
}
