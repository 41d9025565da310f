package dev.perfkit.traffic.features;

import dev.perfkit.annotation.Profiled;
import dev.perfkit.traffic.model.RoadNetwork;
import dev.perfkit.traffic.model.TrafficColumns;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds temporal, spatial and lag features from {@link TrafficColumns}. Rows in = rows out, in the same order;
 * a value that cannot be computed (no earlier observation, no neighbour, too short a history) is {@code NaN}, never 0.
 * Thread-safe: instances hold only their configuration and a per-network cache of neighbour lists.
 *
 * <h2>Column catalogue</h2>
 * Available at run time from {@link #catalogue()} and {@link FeatureFrame#columns()}. Epoch seconds are UTC; calendar columns are local time of
 * {@link FeatureConfig#zone()}.
 * <table>
 *   <caption>Feature columns</caption>
 *   <tr><th>name</th><th>meaning</th><th>unit</th></tr>
 *   <tr><td>edge_index, epoch_second, speed_kmh, distance_km, duration_sec</td><td>the input row</td>
 *       <td>-, s, km/h, km, s</td></tr>
 *   <tr><td>hour</td><td>hour of day, 0-23</td><td>h</td></tr>
 *   <tr><td>day_of_week</td><td>0 = Monday .. 6 = Sunday</td><td>day</td></tr>
 *   <tr><td>month</td><td>1-12</td><td>month</td></tr>
 *   <tr><td>is_weekend</td><td>Saturday or Sunday</td><td>0/1</td></tr>
 *   <tr><td>hour_sin, hour_cos</td><td>sin/cos(2 pi hour / 24)</td><td>1</td></tr>
 *   <tr><td>dow_sin, dow_cos</td><td>sin/cos(2 pi day_of_week / 7)</td><td>1</td></tr>
 *   <tr><td>month_sin, month_cos</td><td>sin/cos(2 pi month / 12)</td><td>1</td></tr>
 *   <tr><td>is_morning_rush, is_lunch_rush, is_evening_rush</td><td>hour in [7, 9), [11, 13), [17, 19)</td>
 *       <td>0/1</td></tr>
 *   <tr><td>is_rush_hour</td><td>morning or evening rush</td><td>0/1</td></tr>
 *   <tr><td>is_off_peak</td><td>none of the three rush windows</td><td>0/1</td></tr>
 *   <tr><td>is_holiday</td><td>the day is in the configured {@link HolidayCalendar}</td><td>0/1</td></tr>
 *   <tr><td>nbr_count</td><td>neighbour edges with an observation within the spatial tolerance</td><td>edges</td></tr>
 *   <tr><td>nbr_speed_mean, nbr_speed_min, nbr_speed_max</td><td>over those observations; NaN without any</td>
 *       <td>km/h</td></tr>
 *   <tr><td>nbr_speed_std</td><td>sample standard deviation; NaN below 2 neighbours</td><td>km/h</td></tr>
 *   <tr><td>speed_diff_nbr</td><td>speed_kmh - nbr_speed_mean</td><td>km/h</td></tr>
 *   <tr><td>is_bottleneck</td><td>speed_diff_nbr below the threshold (-5 km/h); NaN without neighbours</td>
 *       <td>0/1</td></tr>
 *   <tr><td>speed_lag_&lt;L&gt;m</td><td>speed of the same edge at the latest observation between L and
 *       L * (1 + tolerance) minutes earlier; NaN when there is none</td><td>km/h</td></tr>
 *   <tr><td>speed_roll_{mean,std,min,max}_&lt;W&gt;</td><td>over the last W observations of the edge including this
 *       one (std: sample); NaN while fewer than W exist</td><td>km/h</td></tr>
 *   <tr><td>speed_change</td><td>speed minus the previous observation's; NaN for the first</td><td>km/h</td></tr>
 *   <tr><td>speed_pct_change</td><td>speed_change / previous speed * 100; NaN for the first or a previous 0</td>
 *       <td>%</td></tr>
 * </table>
 *
 * <p>Spatial features only exist for edges of the network the columns were built against; other rows have
 * {@code nbr_count} 0 and NaN statistics. A neighbour's observation is the one closest in time to the row (either
 * side) within {@link FeatureConfig#spatialToleranceSec()}: a snapshot of the neighbourhood.
 *
 * <p>Design note: rows are grouped by edge and time once with primitive sorts ({@code EdgeGroups}); lags use one
 * forward pointer per lag and per neighbour (linear merges of time-ordered rows), rolling windows a short inner loop.
 * No boxing and no per-row allocation, so the cost is linear in rows (times neighbours and window lengths).
 */
public final class FeatureEngineer {

    private final FeatureConfig config;
    private final List<FeatureColumn> catalogue;
    private volatile NeighbourCache neighbourCache;

    /** An engineer with {@link FeatureConfig#defaults()}. */
    public FeatureEngineer() {
        this(FeatureConfig.defaults());
    }

    public FeatureEngineer(FeatureConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.catalogue = buildCatalogue(config);
    }

    public FeatureConfig config() {
        return config;
    }

    /** The columns {@link #build} produces, in order, with meaning and unit. */
    public List<FeatureColumn> catalogue() {
        return catalogue;
    }

    /**
     * Builds every feature for a batch of rows.
     *
     * @return a frame with {@code columns.size()} rows, in input order
     */
    @Profiled(value = "traffic.features.build", target = "1s")
    public FeatureFrame build(TrafficColumns columns) {
        int n = columns.size();
        int[] edge = columns.edgeIndexes();
        long[] epochSecond = columns.epochSeconds();
        double[] speed = columns.speedsKmh();
        double[][] values = new double[catalogue.size()][n];
        int c = 0;
        for (int row = 0; row < n; row++) {
            values[0][row] = edge[row];
            values[1][row] = epochSecond[row];
            values[2][row] = speed[row];
            values[3][row] = columns.distanceKm(row);
            values[4][row] = columns.durationSec(row);
        }
        c += 5;
        TemporalFeatures.compute(epochSecond, config.holidays(), config.zone(), values, c);
        c += TemporalFeatures.COLUMNS;
        EdgeGroups groups = EdgeGroups.of(edge, epochSecond, speed, columns.edgeCount());
        int[][] neighbours = neighbours(columns.network());
        SpatialFeatures.compute(columns.networkEdgeCount(), neighbours, groups, config, values, c);
        c += SpatialFeatures.COLUMNS;
        LagFeatures.compute(groups, config, values, c);
        return new FeatureFrame(n, catalogue, values);
    }

    private int[][] neighbours(RoadNetwork network) {
        NeighbourCache cache = neighbourCache;
        if (cache == null || cache.network != network) {
            cache = new NeighbourCache(network, SpatialFeatures.neighbours(network, config));
            neighbourCache = cache;
        }
        return cache.neighbours;
    }

    private record NeighbourCache(RoadNetwork network, int[][] neighbours) {
    }

    private static List<FeatureColumn> buildCatalogue(FeatureConfig config) {
        List<FeatureColumn> cols = new ArrayList<>();
        cols.add(new FeatureColumn("edge_index", "base", "edge index of the row (see TrafficColumns)", "-"));
        cols.add(new FeatureColumn("epoch_second", "base", "observation time, seconds since 1970-01-01T00:00Z", "s"));
        cols.add(new FeatureColumn("speed_kmh", "base", "observed speed", "km/h"));
        cols.add(new FeatureColumn("distance_km", "base", "route distance", "km"));
        cols.add(new FeatureColumn("duration_sec", "base", "travel time", "s"));
        cols.addAll(TemporalFeatures.catalogue());
        cols.addAll(SpatialFeatures.catalogue(config));
        cols.addAll(LagFeatures.catalogue(config));
        return List.copyOf(cols);
    }
}
