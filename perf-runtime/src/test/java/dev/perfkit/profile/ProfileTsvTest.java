package dev.perfkit.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Profile#parseTsv} rejects values no profiler can produce, naming the line, the field and the value. */
class ProfileTsvTest {

    private static final String HEADER =
            "# frames\tcalls\ttotalNanos\tselfNanos\tcpuNanos\tallocatedBytes\tthreadMetricCalls\n";

    @Test
    void parseTsv_validLines_areRead() {
        Profile profile = Profile.parseTsv(HEADER + "a\t2\t500\t300\t100\t64\t2\na;b\t1\t200\t200\t0\t0\t0\n");

        assertThat(profile.paths()).containsExactly(
                new PathProfile(List.of("a"), 2, 500, 300, 100, 64, 2),
                new PathProfile(List.of("a", "b"), 1, 200, 200, 0, 0, 0));
    }

    @Test
    void parseTsv_negativeTotal_isRejectedWithLineFieldAndValue() {
        assertThatThrownBy(() -> Profile.parseTsv(HEADER + "a\t1\t100\t100\t0\t0\t1\nb\t1\t-5000000000\t0\t0\t0\t1\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("profile line 3, field totalNanos: -5000000000 is negative (must be 0 or more)");
    }

    @Test
    void parseTsv_negativeCalls_isRejected() {
        assertThatThrownBy(() -> Profile.parseTsv("a\t-1\t100\t100\t0\t0\t0\n"))
                .hasMessage("profile line 1, field calls: -1 is negative (must be 0 or more)");
    }

    @Test
    void parseTsv_selfAboveTotal_isRejected() {
        assertThatThrownBy(() -> Profile.parseTsv(HEADER + "a\t1\t100\t101\t0\t0\t1\n"))
                .hasMessage("profile line 2: selfNanos 101 exceeds totalNanos 100 (self time is part of the total)");
    }

    @Test
    void parseTsv_moreMeasuredCallsThanCalls_isRejected() {
        assertThatThrownBy(() -> Profile.parseTsv("a\t1\t100\t100\t0\t0\t2\n"))
                .hasMessage("profile line 1: threadMetricCalls 2 exceeds calls 1");
    }

    @Test
    void parseTsv_notANumber_namesTheField() {
        assertThatThrownBy(() -> Profile.parseTsv("a\t1\t1x0\t100\t0\t0\t1\n"))
                .hasMessage("profile line 1, field totalNanos: '1x0' is not an integer");
    }
}
