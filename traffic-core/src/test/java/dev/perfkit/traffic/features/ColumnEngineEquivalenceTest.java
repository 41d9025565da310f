package dev.perfkit.traffic.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perfkit.traffic.collect.ReplaySource;
import dev.perfkit.traffic.collect.SimulatedSource;
import dev.perfkit.traffic.model.RoadNetwork;
import dev.perfkit.traffic.model.TrafficColumns;
import dev.perfkit.traffic.model.TrafficRecord;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The column engine gives, bit for bit, the values of the row-at-a-time implementation it replaced
 * ({@link ReferenceFeatures}), on the bundled runs and on generated inputs large enough to take the parallel path.
 */
class ColumnEngineEquivalenceTest {

    private static final RoadNetwork NETWORK = RoadNetwork.hcmc();

    private static List<TrafficRecord> bundledRows() {
        List<TrafficRecord> rows = new ArrayList<>();
        ReplaySource.bundledRuns().forEach(run -> rows.addAll(run.records()));
        return rows;
    }

    /** Every value of every column equal (NaN equal to NaN, 0.0 distinct from -0.0), or the first difference named. */
    private static void assertSameAsReference(FeatureEngineer engineer, TrafficColumns input) {
        FeatureFrame frame = engineer.build(input);
        double[][] expected = ReferenceFeatures.build(engineer, input);

        assertThat(frame.rowCount()).isEqualTo(input.size());
        assertThat(frame.columnCount()).isEqualTo(expected.length);
        for (int c = 0; c < expected.length; c++) {
            String name = frame.columns().get(c).name();
            double[] actual = frame.column(name);
            for (int row = 0; row < input.size(); row++) {
                if (Double.doubleToLongBits(actual[row]) != Double.doubleToLongBits(expected[c][row])) {
                    throw new AssertionError("column " + name + ", row " + row + ": " + actual[row]
                            + " but the reference gives " + expected[c][row]);
                }
            }
        }
    }

    @Test
    void build_bundledRuns_equalsTheReference() {
        assertSameAsReference(new FeatureEngineer(), TrafficColumns.of(bundledRows(), NETWORK));
    }

    @Test
    void build_bundledRunsShuffled_equalsTheReference() {
        List<TrafficRecord> rows = bundledRows();
        Collections.shuffle(rows, new Random(3));
        assertSameAsReference(new FeatureEngineer(), TrafficColumns.of(rows, NETWORK));
    }

    /**
     * Every row at its own second (up to two minutes after its run): the spatial pass then walks per-neighbour
     * pointers instead of per-time snapshots; the values must still be the reference's.
     */
    @Test
    void build_rowsWithTheirOwnTimes_equalsTheReference() {
        List<TrafficRecord> rows = bundledRows();
        List<TrafficRecord> jittered = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            jittered.add(rows.get(i).withTimestamp(rows.get(i).timestamp().plusSeconds((i * 37L) % 120)));
        }
        assertSameAsReference(new FeatureEngineer(), TrafficColumns.of(jittered, NETWORK));
        TrafficColumns large = SimulatedSource.builder(100).seed(13).build().collectColumns(100);
        TrafficColumns.Builder spread = TrafficColumns.builder(large.network(), large.size());
        for (int row = 0; row < large.size(); row++) {
            spread.add(large.edgeIndex(row), large.epochSecond(row) + (row * 7L) % 250, large.speedKmh(row),
                    large.distanceKm(row), large.durationSec(row));
        }
        assertSameAsReference(new FeatureEngineer(), spread.build());
    }

    @Test
    void build_bundledRunsWithRadiusNeighbours_equalsTheReference() {
        FeatureConfig radius = FeatureConfig.builder().neighbourMode(FeatureConfig.NeighbourMode.RADIUS)
                .neighbourRadiusKm(1.5).maxNeighbours(5).build();
        assertSameAsReference(new FeatureEngineer(radius), TrafficColumns.of(bundledRows(), NETWORK));
    }

    @Test
    void build_generated100kRows_equalsTheReference() {
        TrafficColumns input = SimulatedSource.builder(100).seed(7).build().collectColumns(1_000);
        assertThat(input.size()).isEqualTo(100_000).isGreaterThan(FeatureEngineer.PARALLEL_MIN_ROWS);
        assertSameAsReference(new FeatureEngineer(), input);
    }

    @Test
    void build_generated100kRowsInReverseOrder_equalsTheReference() {
        TrafficColumns forward = SimulatedSource.builder(100).seed(11).build().collectColumns(1_000);
        TrafficColumns.Builder reversed = TrafficColumns.builder(forward.network(), forward.size());
        for (int row = forward.size() - 1; row >= 0; row--) {
            reversed.add(forward.edgeIndex(row), forward.epochSecond(row), forward.speedKmh(row),
                    forward.distanceKm(row), forward.durationSec(row));
        }
        assertSameAsReference(new FeatureEngineer(), reversed.build());
    }

    /**
     * Speeds the fast paths treat specially: NaN (a window or neighbourhood with a gap), 0.0 beside -0.0 (minimum and
     * maximum must keep the sign that Math.min and Math.max give), negative values and infinities; with the default
     * windows (three sizes: one pass) and with others (two sizes, four, three unsorted).
     */
    @Test
    void build_specialSpeedsAndOtherWindows_equalsTheReference() {
        TrafficColumns base = SimulatedSource.builder(40).seed(17).build().collectColumns(150);
        double[] special = {Double.NaN, 0.0, -0.0, -3.5, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0};
        TrafficColumns.Builder odd = TrafficColumns.builder(base.network(), base.size());
        for (int row = 0; row < base.size(); row++) {
            double speed = row % 11 == 0 ? special[(row / 11) % special.length]
                    : row % 5 == 0 ? (row % 2 == 0 ? 0.0 : -0.0) : base.speedKmh(row);
            odd.add(base.edgeIndex(row), base.epochSecond(row), speed, base.distanceKm(row), base.durationSec(row));
        }
        TrafficColumns input = odd.build();
        assertSameAsReference(new FeatureEngineer(), input);
        for (int[] windows : new int[][] {{4, 8}, {12, 3, 6}, {2, 3, 5, 9}}) {
            assertSameAsReference(new FeatureEngineer(FeatureConfig.builder().rollingWindows(windows).build()), input);
        }
    }

    @Test
    void build_zoneWithDaylightSavingAcrossATransition_equalsTheReference() {
        // Europe/Berlin moves from UTC+2 to UTC+1 on 2025-10-26 at 01:00 UTC: the runs span that night, every 10 min.
        TrafficColumns input = SimulatedSource.builder(60).seed(5).start(LocalDateTime.of(2025, 10, 25, 18, 0))
                .interval(Duration.ofMinutes(10)).build().collectColumns(120);
        FeatureConfig berlin = FeatureConfig.builder().zone(ZoneId.of("Europe/Berlin"))
                .holidays(HolidayCalendar.vietnamFixed().withDates(LocalDate.of(2025, 10, 26))).build();
        assertSameAsReference(new FeatureEngineer(berlin), input);
    }

    @Test
    void build_rowsOfEdgesOutsideTheNetwork_equalsTheReference() {
        List<TrafficRecord> rows = bundledRows();
        List<TrafficRecord> withUnknown = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            TrafficRecord r = rows.get(i);
            withUnknown.add(i % 7 == 0
                    ? new TrafficRecord("elsewhere-" + (i % 5), r.nodeBId(), r.timestamp(), r.distanceKm(),
                            r.durationSec(), r.speedKmh(), r.apiType())
                    : r);
        }
        assertSameAsReference(new FeatureEngineer(), TrafficColumns.of(withUnknown, NETWORK));
    }

    @Test
    void buildSelectedColumns_givesThoseColumnsOfTheFullBuild_inCatalogueOrder() {
        TrafficColumns input = SimulatedSource.builder(100).seed(7).build().collectColumns(100);
        FeatureEngineer engineer = new FeatureEngineer();
        FeatureFrame full = engineer.build(input);

        FeatureFrame calendar = engineer.build(input, List.of("is_weekend", "hour", "day_of_week"));
        FeatureFrame mixed = engineer.build(input, List.of("speed_roll_std_6", "nbr_speed_max", "speed_lag_15m"));

        assertThat(calendar.columnNames()).containsExactly("hour", "day_of_week", "is_weekend");
        assertThat(mixed.columnNames()).containsExactly("nbr_speed_max", "speed_lag_15m", "speed_roll_std_6");
        for (FeatureFrame part : List.of(calendar, mixed)) {
            for (String name : part.columnNames()) {
                assertThat(part.column(name)).as(name).isEqualTo(full.column(name));
            }
        }
    }

    @Test
    void buildSelectedColumns_unknownName_failsListingTheKnownOnes() {
        TrafficColumns input = SimulatedSource.builder(10).seed(7).build().collectColumns(2);
        assertThatThrownBy(() -> new FeatureEngineer().build(input, List.of("hour", "weekday")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weekday")
                .hasMessageContaining("day_of_week");
    }
}
