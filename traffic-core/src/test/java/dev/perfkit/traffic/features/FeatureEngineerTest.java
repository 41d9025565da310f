package dev.perfkit.traffic.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.perfkit.traffic.collect.ReplaySource;
import dev.perfkit.traffic.collect.SimulatedSource;
import dev.perfkit.traffic.model.CityTime;
import dev.perfkit.traffic.model.Edge;
import dev.perfkit.traffic.model.Node;
import dev.perfkit.traffic.model.RoadNetwork;
import dev.perfkit.traffic.model.TrafficColumns;
import dev.perfkit.traffic.model.TrafficRecord;
import dev.perfkit.traffic.model.TrafficRun;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FeatureEngineerTest {

    private static final RoadNetwork NETWORK = RoadNetwork.hcmc();
    private static List<TrafficRun> runs;
    private static List<TrafficRecord> rows;
    private static FeatureFrame frame;

    @BeforeAll
    static void buildOnRealRuns() {
        runs = ReplaySource.bundledRuns();
        rows = new ArrayList<>();
        runs.forEach(run -> rows.addAll(run.records()));
        frame = new FeatureEngineer().build(TrafficColumns.of(rows, NETWORK));
    }

    /** Row index of an edge's record in run {@code runIndex} (runs are concatenated in order). */
    private static int rowOf(int runIndex, int edge) {
        int offset = 0;
        for (int r = 0; r < runIndex; r++) {
            offset += runs.get(r).records().size();
        }
        Edge e = NETWORK.edge(edge);
        List<TrafficRecord> records = runs.get(runIndex).records();
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).nodeAId().equals(e.startNodeId()) && records.get(i).nodeBId().equals(e.endNodeId())) {
                return offset + i;
            }
        }
        throw new AssertionError("edge " + edge + " not in run " + runIndex);
    }

    private static double speed(int runIndex, int edge) {
        return rows.get(rowOf(runIndex, edge)).speedKmh();
    }

    @Test
    void build_realRuns_rowsInEqualRowsOut() {
        assertThat(rows).hasSize(12 * 144);
        assertThat(frame.rowCount()).isEqualTo(rows.size());
        assertThat(frame.columns()).isEqualTo(new FeatureEngineer().catalogue());
        for (int row = 0; row < rows.size(); row += 97) {
            assertThat(frame.value("speed_kmh", row)).isEqualTo(rows.get(row).speedKmh());
            assertThat(frame.value("epoch_second", row)).isEqualTo(rows.get(row).epochSecond());
        }
    }

    @Test
    void build_realRuns_temporalValuesMatchHandComputation() {
        int row = rowOf(5, 10); // run 2025-10-30T07:31 in Ho Chi Minh City (00:31 UTC), a Thursday in October
        assertThat(rows.get(row).timestamp().getHour()).isZero(); // UTC
        assertThat(CityTime.toLocal(rows.get(row).timestamp(), CityTime.DEFAULT_ZONE).getHour()).isEqualTo(7);

        assertThat(frame.value("hour", row)).isEqualTo(7);
        assertThat(frame.value("day_of_week", row)).isEqualTo(3);
        assertThat(frame.value("month", row)).isEqualTo(10);
        assertThat(frame.value("is_weekend", row)).isZero();
        assertThat(frame.value("hour_sin", row)).isCloseTo(Math.sin(2 * Math.PI * 7 / 24), within(1e-12));
        assertThat(frame.value("hour_cos", row)).isCloseTo(Math.cos(2 * Math.PI * 7 / 24), within(1e-12));
        assertThat(frame.value("dow_sin", row)).isCloseTo(Math.sin(2 * Math.PI * 3 / 7), within(1e-12));
        assertThat(frame.value("month_cos", row)).isCloseTo(Math.cos(2 * Math.PI * 10 / 12), within(1e-12));
        assertThat(frame.value("is_morning_rush", row)).isEqualTo(1);
        assertThat(frame.value("is_lunch_rush", row)).isZero();
        assertThat(frame.value("is_evening_rush", row)).isZero();
        assertThat(frame.value("is_rush_hour", row)).isEqualTo(1);
        assertThat(frame.value("is_off_peak", row)).isZero();
        assertThat(frame.value("is_holiday", row)).isZero();

        int lunchRow = rowOf(8, 10); // 11:01
        assertThat(frame.value("is_lunch_rush", lunchRow)).isEqualTo(1);
        assertThat(frame.value("is_rush_hour", lunchRow)).isZero();
        int offPeakRow = rowOf(2, 10); // 05:25
        assertThat(frame.value("is_off_peak", offPeakRow)).isEqualTo(1);
    }

    @Test
    void build_realRuns_lagsRollingAndChangeMatchHandComputation() {
        int edge = 10;
        int row = rowOf(5, edge); // 07:31; runs 4 (07:00) and 3 (06:30) are 30 and 60 min earlier

        assertThat(frame.value("speed_lag_30m", row)).isEqualTo(speed(4, edge));
        assertThat(frame.value("speed_lag_60m", row)).isEqualTo(speed(3, edge));
        assertThat(frame.value("speed_lag_5m", row)).isNaN();   // nothing between 5 and 7.5 min earlier
        assertThat(frame.value("speed_lag_15m", row)).isNaN();  // nothing between 15 and 22.5 min earlier
        double mean3 = (speed(3, edge) + speed(4, edge) + speed(5, edge)) / 3;
        assertThat(frame.value("speed_roll_mean_3", row)).isCloseTo(mean3, within(1e-12));
        assertThat(frame.value("speed_roll_min_3", row))
                .isEqualTo(Math.min(speed(3, edge), Math.min(speed(4, edge), speed(5, edge))));
        assertThat(frame.value("speed_change", row)).isCloseTo(speed(5, edge) - speed(4, edge), within(1e-12));
        assertThat(frame.value("speed_pct_change", row))
                .isCloseTo((speed(5, edge) - speed(4, edge)) / speed(4, edge) * 100, within(1e-9));
    }

    @Test
    void build_realRuns_missingHistoryIsNaNNotZero() {
        int first = rowOf(0, 10);
        assertThat(frame.value("speed_lag_5m", first)).isNaN();
        assertThat(frame.value("speed_lag_60m", first)).isNaN();
        assertThat(frame.value("speed_roll_mean_3", first)).isNaN();
        assertThat(frame.value("speed_change", first)).isNaN();
        assertThat(frame.value("speed_pct_change", first)).isNaN();
        // The 12-row window is complete only at the last run.
        assertThat(frame.value("speed_roll_mean_12", rowOf(10, 10))).isNaN();
        assertThat(frame.value("speed_roll_mean_12", rowOf(11, 10))).isFinite();
    }

    @Test
    void build_realRuns_spatialFeaturesUseGraphNeighboursOfTheSameRun() {
        int edge = 10;
        int runIndex = 5;
        int row = rowOf(runIndex, edge);
        Edge e = NETWORK.edge(edge);
        List<Double> neighbourSpeeds = new ArrayList<>();
        for (Edge other : NETWORK.edges()) {
            Set<String> shared = new HashSet<>(List.of(other.startNodeId(), other.endNodeId()));
            boolean adjacent = shared.contains(e.startNodeId()) || shared.contains(e.endNodeId());
            if (other.index() != edge && adjacent) {
                neighbourSpeeds.add(speed(runIndex, other.index()));
            }
        }
        double mean = neighbourSpeeds.stream().mapToDouble(Double::doubleValue).average().orElseThrow();

        assertThat(neighbourSpeeds).isNotEmpty();
        assertThat(frame.value("nbr_count", row)).isEqualTo(neighbourSpeeds.size());
        assertThat(frame.value("nbr_speed_mean", row)).isCloseTo(mean, within(1e-9));
        assertThat(frame.value("nbr_speed_max", row))
                .isEqualTo(neighbourSpeeds.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
        assertThat(frame.value("speed_diff_nbr", row)).isCloseTo(speed(runIndex, edge) - mean, within(1e-9));
        assertThat(frame.value("is_bottleneck", row)).isEqualTo(speed(runIndex, edge) - mean < -5 ? 1 : 0);
    }

    @Test
    void build_radiusNeighbours_countBoundedByK() {
        // Three segments in a row along latitude 10 N, 0.002 degrees of longitude (about 219 m) between consecutive
        // midpoints, and one segment about 15 km away: within 1.5 km, each of the three has the other two and the far
        // one has none. Speeds 10, 20, 30, 40 km/h.
        List<Node> nodes = List.of(new Node("n0", 10.0, 106.000, ""), new Node("n1", 10.0, 106.002, ""),
                new Node("n2", 10.0, 106.004, ""), new Node("n3", 10.0, 106.006, ""),
                new Node("n4", 10.1, 106.100, ""), new Node("n5", 10.1, 106.102, ""));
        List<Edge> edges = List.of(new Edge(0, "e0", "n0", "n1", 0.22, "", ""), new Edge(1, "e1", "n1", "n2", 0.22, "", ""),
                new Edge(2, "e2", "n2", "n3", 0.22, "", ""), new Edge(3, "e3", "n4", "n5", 0.22, "", ""));
        RoadNetwork line = RoadNetwork.of(nodes, edges);
        java.time.LocalDateTime at = java.time.LocalDateTime.of(2025, 10, 30, 3, 0);
        List<TrafficRecord> records = new ArrayList<>();
        for (int e = 0; e < 4; e++) {
            double speedKmh = 10.0 * (e + 1);
            records.add(new TrafficRecord(edges.get(e).startNodeId(), edges.get(e).endNodeId(), at, 0.22,
                    0.22 / speedKmh * 3600, speedKmh, "test"));
        }

        FeatureFrame upToThree = new FeatureEngineer(FeatureConfig.builder()
                .neighbourMode(FeatureConfig.NeighbourMode.RADIUS).neighbourRadiusKm(1.5).maxNeighbours(3).build())
                .build(TrafficColumns.of(records, line));
        FeatureFrame nearestOnly = new FeatureEngineer(FeatureConfig.builder()
                .neighbourMode(FeatureConfig.NeighbourMode.RADIUS).neighbourRadiusKm(1.5).maxNeighbours(1).build())
                .build(TrafficColumns.of(records, line));

        assertThat(upToThree.column("nbr_count")).containsExactly(2, 2, 2, 0);
        assertThat(nearestOnly.column("nbr_count")).containsExactly(1, 1, 1, 0);
        // The nearest neighbour of e0 is e1 (20 km/h), of e2 it is e1 too; e1's two are equidistant: the lower index.
        assertThat(nearestOnly.value("nbr_speed_mean", 0)).isEqualTo(20.0);
        assertThat(nearestOnly.value("nbr_speed_mean", 1)).isEqualTo(10.0);
        assertThat(nearestOnly.value("nbr_speed_mean", 2)).isEqualTo(20.0);
        assertThat(upToThree.value("nbr_speed_mean", 0)).isEqualTo(25.0);
    }

    @Test
    void build_unsortedInput_sameFeaturesPerRow() {
        List<TrafficRecord> reversed = new ArrayList<>(rows);
        java.util.Collections.reverse(reversed);

        FeatureFrame backwards = new FeatureEngineer().build(TrafficColumns.of(reversed, NETWORK));

        int row = rowOf(5, 10);
        int mirrored = rows.size() - 1 - row;
        for (String column : List.of("speed_lag_30m", "speed_roll_mean_3", "nbr_speed_mean", "hour")) {
            assertThat(backwards.value(column, mirrored)).as(column).isEqualTo(frame.value(column, row));
        }
    }

    @Test
    void build_knownInstants_calendarFeaturesAreLocalTimeOfTheCity() {
        Edge e = NETWORK.edge(0);
        List<TrafficRecord> records = List.of(
                // 07:30 in Ho Chi Minh City: morning rush on a Thursday
                new TrafficRecord(e.startNodeId(), e.endNodeId(), LocalDateTime.of(2025, 10, 30, 0, 30), 1, 120, 30,
                        "real"),
                // Saturday 23:30 in Ho Chi Minh City (Saturday 16:30 UTC)
                new TrafficRecord(e.startNodeId(), e.endNodeId(), LocalDateTime.of(2025, 11, 1, 16, 30), 1, 120, 30,
                        "real"),
                // Sunday 00:30 in Ho Chi Minh City, still Saturday 17:30 in UTC
                new TrafficRecord(e.startNodeId(), e.endNodeId(), LocalDateTime.of(2025, 11, 1, 17, 30), 1, 120, 30,
                        "real"));

        FeatureFrame city = new FeatureEngineer().build(TrafficColumns.of(records, NETWORK));
        FeatureFrame utc = new FeatureEngineer(FeatureConfig.builder().zone(ZoneOffset.UTC).build())
                .build(TrafficColumns.of(records, NETWORK));

        assertThat(city.column("hour")).containsExactly(7, 23, 0);
        assertThat(city.column("is_morning_rush")).containsExactly(1, 0, 0);
        assertThat(city.column("day_of_week")).containsExactly(3, 5, 6);
        assertThat(city.column("is_weekend")).containsExactly(0, 1, 1);
        assertThat(utc.column("hour")).containsExactly(0, 16, 17);
        assertThat(utc.column("is_morning_rush")).containsExactly(0, 0, 0);
        assertThat(utc.column("day_of_week")).containsExactly(3, 5, 5);
    }

    @Test
    void build_holidayCalendar_flagsConfiguredDays() {
        LocalDateTime nationalDay = LocalDateTime.of(2025, 9, 2, 8, 0);
        LocalDateTime tet = LocalDateTime.of(2025, 1, 29, 8, 0);
        Edge e = NETWORK.edge(0);
        List<TrafficRecord> records = List.of(
                new TrafficRecord(e.startNodeId(), e.endNodeId(), nationalDay, 1, 120, 30, "real"),
                new TrafficRecord(e.startNodeId(), e.endNodeId(), tet, 1, 120, 30, "real"),
                new TrafficRecord(e.startNodeId(), e.endNodeId(), tet.plusDays(10), 1, 120, 30, "real"));
        FeatureConfig config = FeatureConfig.builder()
                .holidays(HolidayCalendar.vietnamFixed().withDates(LocalDate.of(2025, 1, 29))).build();

        FeatureFrame holidays = new FeatureEngineer(config).build(TrafficColumns.of(records, NETWORK));

        assertThat(holidays.column("is_holiday")).containsExactly(1, 1, 0);
        assertThat(holidays.column("is_weekend")).containsExactly(0, 0, 1); // 2025-02-08 is a Saturday
    }

    @Test
    void catalogue_everyColumnHasMeaningAndUnit() {
        List<FeatureColumn> catalogue = new FeatureEngineer().catalogue();

        assertThat(catalogue).extracting(FeatureColumn::name).doesNotHaveDuplicates()
                .contains("hour", "is_bottleneck", "speed_lag_5m", "speed_lag_60m", "speed_roll_std_12",
                        "speed_pct_change");
        assertThat(catalogue).allSatisfy(c -> {
            assertThat(c.meaning()).isNotBlank();
            assertThat(c.unit()).isNotBlank();
        });
    }

    @Test
    void build_100kRowsOfColumnsAndFeatures_fitComfortablyInMemory() {
        SimulatedSource source = SimulatedSource.builder(1_000).seed(7).build();
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        long before = runtime.totalMemory() - runtime.freeMemory();

        TrafficColumns columns = source.collectColumns(100);
        FeatureFrame big = new FeatureEngineer().build(columns);

        System.gc();
        long after = runtime.totalMemory() - runtime.freeMemory();
        long arrayBytes = columns.rowBytes() + big.valueBytes();
        System.out.printf("100k rows: %d feature columns, arrays %.1f MB, used-heap delta %.1f MB%n",
                big.columnCount(), arrayBytes / 1e6, (after - before) / 1e6);
        assertThat(big.rowCount()).isEqualTo(100_000);
        // 46 documented columns of one double per row: 36.8 MB, the output itself.
        assertThat(big.valueBytes()).isEqualTo(46L * Double.BYTES * 100_000);
        // Measured: the heap grows by about the arrays (41.5 MB for 40.4 MB); nothing else of note is kept.
        assertThat(after - before).as("heap kept by 100k rows of columns and features")
                .isLessThan((long) (arrayBytes * 1.2));
    }
}
