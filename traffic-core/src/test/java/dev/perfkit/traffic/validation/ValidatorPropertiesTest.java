package dev.perfkit.traffic.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perfkit.traffic.model.TrafficRecord;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based: batches of arbitrary records (NaN, infinities, negative zero, huge and tiny numbers, null and blank
 * ids, self loops, duplicate keys). The validator never throws, never drops a row (every row is kept or rejected with
 * at least one reason), keeps exactly the rows an independent statement of the rules accepts, in input order, and its
 * statistics describe exactly the kept rows.
 */
class ValidatorPropertiesTest {

    private static final LocalDateTime T0 = LocalDateTime.of(2025, 10, 30, 7, 0);

    @Property(tries = 500)
    void validate_arbitraryRecords_keepsExactlyTheValidRows_andGivesEveryOtherRowAReason(
            @ForAll("batches") List<TrafficRecord> records) {
        ValidationReport report = new Validator().validate(records);

        List<TrafficRecord> expectedValid = new ArrayList<>();
        Set<List<Object>> seen = new HashSet<>();
        int complete = 0;
        for (TrafficRecord r : records) {
            boolean present = !blank(r.nodeAId()) && !blank(r.nodeBId()) && r.timestamp() != null
                    && !Double.isNaN(r.distanceKm()) && !Double.isNaN(r.durationSec()) && !Double.isNaN(r.speedKmh());
            if (present) {
                complete++;
            }
            boolean duplicate = r.nodeAId() != null && r.nodeBId() != null && r.timestamp() != null
                    && !seen.add(List.of(r.nodeAId(), r.nodeBId(), r.timestamp()));
            boolean valid = present && !duplicate && !r.nodeAId().equals(r.nodeBId())
                    && r.distanceKm() >= 0 && r.distanceKm() <= 50
                    && r.durationSec() >= 0 && r.durationSec() <= 3600
                    && r.speedKmh() >= 0 && r.speedKmh() <= 120
                    && r.nodeAId().length() <= 128 && r.nodeBId().length() <= 128
                    && (r.apiType() == null || r.apiType().length() <= 32);
            if (valid) {
                expectedValid.add(r);
            }
        }

        assertThat(report.totalRows()).isEqualTo(records.size());
        assertThat(report.validRecords()).containsExactlyElementsOf(expectedValid);
        assertThat(report.passedRows() + report.failedRows()).as("no row dropped").isEqualTo(records.size());
        assertThat(report.rejectedRows()).allSatisfy(rejected -> {
            assertThat(rejected.reasons()).isNotEmpty();
            assertThat(rejected.record()).isSameAs(records.get(rejected.row()));
            assertThat(rejected.reasons()).allSatisfy(issue -> assertThat(issue.message()).isNotBlank());
        });
        assertThat(report.completeness()).isEqualTo(records.isEmpty() ? 1.0 : (double) complete / records.size());
        ValidationReport.FieldStats speed = report.metrics().get("speed_kmh");
        assertThat(speed.count()).isEqualTo(expectedValid.size());
        if (!expectedValid.isEmpty()) {
            assertThat(speed.min()).isEqualTo(expectedValid.stream().mapToDouble(TrafficRecord::speedKmh).min()
                    .orElseThrow());
            assertThat(speed.max()).isEqualTo(expectedValid.stream().mapToDouble(TrafficRecord::speedKmh).max()
                    .orElseThrow());
            assertThat(speed.min() <= speed.q1() && speed.q1() <= speed.median() && speed.median() <= speed.q3()
                    && speed.q3() <= speed.max()).as("min <= q1 <= median <= q3 <= max: %s", speed).isTrue();
            assertThat(speed.min() <= speed.mean() && speed.mean() <= speed.max()).as("mean within [min, max]: %s",
                    speed).isTrue();
        }
    }

    @Provide
    Arbitrary<List<TrafficRecord>> batches() {
        Arbitrary<String> ids = Arbitraries.of(null, "", " ", "\t", "a", "b", "c", "node-\u00e9", "x".repeat(300),
                "y".repeat(128), "z".repeat(129));
        Arbitrary<LocalDateTime> times = Arbitraries.of(null, T0, T0.plusMinutes(5), T0.plusNanos(1),
                LocalDateTime.MIN, LocalDateTime.MAX);
        Arbitrary<Double> numbers = Arbitraries.oneOf(
                Arbitraries.doubles().between(-10, 130).withStandardSpecialValues(),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
                        Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, -Double.MIN_VALUE, 50.0, 3600.0,
                        120.0, Math.nextUp(50.0), Math.nextUp(120.0), Math.nextUp(3600.0), 1e300, -1e-300));
        Arbitrary<TrafficRecord> record = Combinators.combine(ids, ids, times, numbers, numbers, numbers,
                Arbitraries.of(null, "real", "", "r".repeat(32), "r".repeat(33))).as(TrafficRecord::new);
        return record.list().ofMaxSize(30);
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
