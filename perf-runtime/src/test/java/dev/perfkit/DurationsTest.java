package dev.perfkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void parseAndFormat_roundNumbersInEveryUnit() {
        assertThat(Durations.parseNanos("250ns")).isEqualTo(250);
        assertThat(Durations.parseNanos("10us")).isEqualTo(10_000);
        assertThat(Durations.parseNanos("1.5s")).isEqualTo(1_500_000_000);
        assertThat(Durations.parseNanos("2m")).isEqualTo(120_000_000_000L);
        assertThat(Durations.format(850)).isEqualTo("850 ns");
        assertThat(Durations.format(12_345)).isEqualTo("12.3 us");
        assertThat(Durations.format(4_560_000)).isEqualTo("4.56 ms");
        assertThat(Durations.format(1_230_000_000)).isEqualTo("1.23 s");
    }

    @Test
    void parse_badValue_namesTheValueAndTheForms() {
        assertThatThrownBy(() -> Durations.parseNanos("fast")).hasMessageContaining("'fast'").hasMessageContaining("ms");
        assertThatThrownBy(() -> Durations.parseNanos("0ms")).hasMessageContaining("out of range");
    }

    @Test
    void formatBytes_usesBinaryUnits() {
        assertThat(Durations.formatBytes(512)).isEqualTo("512 B");
        assertThat(Durations.formatBytes(4096)).isEqualTo("4.00 KiB");
        assertThat(Durations.formatBytes(3L * 1024 * 1024)).isEqualTo("3.00 MiB");
    }
}
