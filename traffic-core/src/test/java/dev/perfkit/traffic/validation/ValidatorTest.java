package dev.perfkit.traffic.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.perfkit.traffic.collect.ReplaySource;
import dev.perfkit.traffic.model.TrafficRecord;
import dev.perfkit.traffic.model.TrafficRun;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValidatorTest {

    private static final LocalDateTime T = LocalDateTime.of(2025, 10, 30, 7, 0);

    private static TrafficRecord ok(String a, String b) {
        return new TrafficRecord(a, b, T, 1.0, 120, 30.0, "real");
    }

    @Test
    void validate_eachBundledRun_allRowsValid() {
        for (TrafficRun run : ReplaySource.bundledRuns()) {
            ValidationReport report = new Validator().validate(run.records());

            assertThat(report.totalRows()).isEqualTo(144);
            assertThat(report.passedRows()).isEqualTo(144);
            assertThat(report.rejectedRows()).isEmpty();
            assertThat(report.errors()).isEmpty();
            assertThat(report.warnings()).isEmpty();
            assertThat(report.completeness()).isEqualTo(1.0);
            assertThat(report.batchAccepted()).isTrue();
        }
    }

    @Test
    void validate_allBundledRunsTogether_validWithRepeatedPairsWarningAndStats() {
        List<TrafficRecord> all = new ArrayList<>();
        ReplaySource.bundledRuns().forEach(run -> all.addAll(run.records()));

        ValidationReport report = new Validator().validate(all);

        assertThat(report.passedRows()).isEqualTo(1728);
        assertThat(report.repeatedPairs()).isEqualTo(144);
        assertThat(report.warnings()).extracting(ValidationReport.Issue::code).containsExactly("REPEATED_PAIRS");
        ValidationReport.FieldStats speed = report.metrics().get("speed_kmh");
        assertThat(speed.count()).isEqualTo(1728);
        assertThat(speed.min()).isEqualTo(all.stream().mapToDouble(TrafficRecord::speedKmh).min().orElseThrow());
        assertThat(speed.max()).isEqualTo(all.stream().mapToDouble(TrafficRecord::speedKmh).max().orElseThrow());
        assertThat(speed.q1()).isBetween(speed.min(), speed.median());
        assertThat(speed.q3()).isBetween(speed.median(), speed.max());
    }

    @Test
    void validate_fixture_zeroDurationKeptWithWarning() {
        List<TrafficRecord> fixture = ReplaySource.bundledFixture();

        ValidationReport report = new Validator().validate(fixture);

        assertThat(report.totalRows()).isEqualTo(10);
        assertThat(report.passedRows()).isEqualTo(10);
        assertThat(report.warnings()).singleElement().satisfies(w -> {
            assertThat(w.row()).isEqualTo(6);
            assertThat(w.code()).isEqualTo("ZERO_DURATION");
            assertThat(w.field()).isEqualTo("duration_sec");
            assertThat(w.message()).contains("30.0");
        });
        assertThat(report.validRecords().get(6).speedKmh()).isEqualTo(30.0);
    }

    @Test
    void validate_craftedBadRows_everyReasonReportedAndValidRowsKept() {
        List<TrafficRecord> records = List.of(
                ok("a", "b"),                                                            // 0 valid
                new TrafficRecord(null, "b", T, 1.0, 120, 30.0, "real"),                 // 1 missing node_a_id
                new TrafficRecord("a", "c", T, 1.0, 120, 150.0, "real"),                 // 2 speed too high
                new TrafficRecord("a", "d", T, 1.0, -5, 30.0, "real"),                   // 3 negative duration
                new TrafficRecord("a", "e", T, 60.0, 3600, 60.0, "real"),                // 4 distance too long
                new TrafficRecord("a", "f", null, 1.0, 120, 30.0, "real"),               // 5 missing timestamp
                new TrafficRecord("g", "g", T, 1.0, 120, 30.0, "real"),                  // 6 self loop
                ok("a", "b"),                                                            // 7 duplicate of 0
                new TrafficRecord("a", "h", T, Double.NaN, 4000, Double.NaN, "real"),    // 8 three problems
                ok("x", "y"));                                                           // 9 valid

        ValidationReport report = new Validator().validate(records);

        assertThat(report.totalRows()).isEqualTo(10);
        assertThat(report.passedRows()).isEqualTo(2);
        assertThat(report.validRecords()).containsExactly(records.get(0), records.get(9));
        assertThat(report.rejectedRows()).extracting(ValidationReport.RejectedRow::row)
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(reasons(report, 1)).containsExactly("MISSING:node_a_id");
        assertThat(reasons(report, 2)).containsExactly("OUT_OF_RANGE:speed_kmh");
        assertThat(reasons(report, 3)).containsExactly("OUT_OF_RANGE:duration_sec");
        assertThat(reasons(report, 4)).containsExactly("OUT_OF_RANGE:distance_km");
        assertThat(reasons(report, 5)).containsExactly("MISSING:timestamp");
        assertThat(reasons(report, 6)).containsExactly("SELF_LOOP:node_b_id");
        assertThat(reasons(report, 7)).containsExactly("DUPLICATE:timestamp");
        assertThat(reasons(report, 8)).containsExactlyInAnyOrder("MISSING:distance_km",
                "OUT_OF_RANGE:duration_sec", "MISSING:speed_kmh");
        ValidationReport.Issue speed = report.rejectedRows().get(1).reasons().get(0);
        assertThat(speed.message()).contains("150.0").contains("[0.0, 120.0]").contains("km/h");
        assertThat(report.rejectionReasonCounts()).containsEntry("OUT_OF_RANGE:duration_sec", 2);
        assertThat(report.errors()).hasSize(11); // 10 row errors + low completeness
        assertThat(report.completeness()).isCloseTo(7.0 / 10, within(1e-12));
        assertThat(report.batchAccepted()).isFalse(); // 0.7 < 0.8
        assertThat(report.datasetErrors()).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("0.700").contains("0.800"));
    }

    @Test
    void validate_textsLongerThanTheirLimits_areRejectedNamingFieldValueAndLimit() {
        String longId = "node-" + "9".repeat(Validator.MAX_NODE_ID_LENGTH); // 133 characters
        String longApi = "x".repeat(Validator.MAX_API_TYPE_LENGTH + 1);
        String atLimit = "n".repeat(Validator.MAX_NODE_ID_LENGTH);
        List<TrafficRecord> records = List.of(
                new TrafficRecord(longId, "b", T, 1.0, 120, 30.0, "real"),
                new TrafficRecord("a", longId, T, 1.0, 120, 30.0, longApi),
                new TrafficRecord(atLimit, "b", T, 1.0, 120, 30.0, "y".repeat(Validator.MAX_API_TYPE_LENGTH)));

        ValidationReport report = new Validator().validate(records);

        assertThat(report.validRecords()).containsExactly(records.get(2));
        assertThat(reasons(report, 0)).containsExactly("TOO_LONG:node_a_id");
        assertThat(reasons(report, 1)).containsExactly("TOO_LONG:node_b_id", "TOO_LONG:api_type");
        ValidationReport.Issue id = report.rejectedRows().get(0).reasons().get(0);
        assertThat(id.message()).isEqualTo("node_a_id 'node-99999999999999999999999999999999999...' has 133 "
                + "characters, more than the limit of 128");
        assertThat(report.rejectedRows().get(1).reasons().get(1).message()).contains("api_type '")
                .contains("has 33 characters, more than the limit of 32");
    }

    private static List<String> reasons(ValidationReport report, int row) {
        return report.rejectedRows().stream().filter(r -> r.row() == row).findFirst().orElseThrow()
                .reasons().stream().map(ValidationReport.Issue::reason).toList();
    }

    @Test
    void validate_inconsistentSpeed_warnsButKeepsRow() {
        TrafficRecord record = new TrafficRecord("a", "b", T, 1.0, 120, 50.0, "real"); // 1 km in 2 min = 30 km/h

        ValidationReport report = new Validator().validate(List.of(record));

        assertThat(report.passedRows()).isEqualTo(1);
        assertThat(report.warnings()).extracting(ValidationReport.Issue::code).containsExactly("INCONSISTENT_SPEED");
    }

    @Test
    void validate_emptyBatch_isComplete() {
        ValidationReport report = new Validator().validate(List.of());

        assertThat(report.totalRows()).isZero();
        assertThat(report.completeness()).isEqualTo(1.0);
        assertThat(report.metrics().get("speed_kmh").mean()).isNaN();
    }

    @Test
    void customThreshold_mergesWithDefaults() {
        ValidationThresholds custom = ValidationThresholds.builder().maxSpeedKmh(150).build();

        assertThat(custom.maxSpeedKmh()).isEqualTo(150);
        assertThat(custom.minSpeedKmh()).isEqualTo(ValidationThresholds.defaults().minSpeedKmh());
        assertThat(custom.maxDurationSec()).isEqualTo(3600);
        assertThat(custom.maxDistanceKm()).isEqualTo(50);
        assertThat(custom.minCompleteness()).isEqualTo(0.8);
        ValidationReport report = new Validator(custom).validate(List.of(
                new TrafficRecord("a", "b", T, 1.0, 26, 140.0, "real"),
                new TrafficRecord("a", "c", T, 1.0, 4000, 0.9, "real")));
        assertThat(report.passedRows()).isEqualTo(1);
        assertThat(reasons(report, 1)).containsExactly("OUT_OF_RANGE:duration_sec");
    }

    @Test
    void customThreshold_mapOverrideKeepsOtherKeys() {
        ValidationThresholds merged = ValidationThresholds.defaults()
                .merge(Map.of("distance_km.max", 80.0, "completeness.min", 0.5));

        assertThat(merged.maxDistanceKm()).isEqualTo(80);
        assertThat(merged.minCompleteness()).isEqualTo(0.5);
        assertThat(merged.maxSpeedKmh()).isEqualTo(120);
        assertThat(merged.minDistanceKm()).isZero();
    }

    @Test
    void customThreshold_unknownKeyOrInvalidBounds_rejectedPrecisely() {
        assertThatThrownBy(() -> ValidationThresholds.defaults().merge(Map.of("speed.max", 1.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("speed.max")
                .hasMessageContaining("speed_kmh.max");
        assertThatThrownBy(() -> ValidationThresholds.builder().speedKmh(130, 120).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("speed_kmh").hasMessageContaining("130.0").hasMessageContaining("120.0");
        assertThatThrownBy(() -> ValidationThresholds.builder().minCompleteness(1.5).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("completeness.min");
    }

    @Test
    void stats_quartilesAndSampleStd() {
        ValidationReport.FieldStats stats = Validator.stats(new double[] {40, 10, 30, 20}, 4);

        assertThat(stats.mean()).isEqualTo(25);
        assertThat(stats.std()).isCloseTo(Math.sqrt(500.0 / 3), within(1e-12));
        assertThat(stats.q1()).isEqualTo(17.5);
        assertThat(stats.median()).isEqualTo(25);
        assertThat(stats.q3()).isEqualTo(32.5);
        assertThat(stats.min()).isEqualTo(10);
        assertThat(stats.max()).isEqualTo(40);
    }
}
