package dev.perfkit.traffic.features;

import dev.perfkit.annotation.Profiled;
import dev.perfkit.traffic.metrics.TrafficMetrics;
import dev.perfkit.traffic.model.RoadNetwork;
import dev.perfkit.traffic.model.TrafficColumns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

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
 * <p>Design note: a column engine. Rows are grouped by edge and time once with primitive sorts ({@code EdgeGroups});
 * the temporal parts (hour, day of week, month, holiday) are computed once per row into four byte columns. Then every
 * output column (or a few that share their work: the seven spatial ones, the twelve of the rolling windows, the two
 * changes) is one sequential pass over the rows: lags and neighbour observations with forward pointers per edge
 * (linear merges of time-ordered rows; for rows that share their times, one snapshot of every edge per time; all
 * lags in one walk), rolling windows with short inner loops (for three windows, one forward pass over the largest for
 * all three), minima and maxima on order-preserving long keys of the doubles. The output arrays of those passes are
 * allocated (zeroed by the JVM: a write of every byte) in the first phase, beside the edge groups and the calendar. Rows in time order are written in order, a few arrays at a time, never 46
 * at once (which thrashes the cache and the TLB once the columns outgrow them). No boxing; besides the output
 * columns, about 40 bytes per row of index and scratch arrays. From {@value #PARALLEL_MIN_ROWS} rows on, the passes,
 * split into row ranges, run on the calling thread and the common fork-join pool (at most one thread per core); the
 * values do not depend on the split. The cost is linear in rows (times neighbours and window lengths).
 */
public final class FeatureEngineer {

    /** Rows from which the column passes are shared with the common fork-join pool. */
    static final int PARALLEL_MIN_ROWS = 4_096;

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
     * @return a frame with {@code columns.size()} rows, in input order, and the columns of {@link #catalogue()}
     */
    @Profiled(value = TrafficMetrics.FEATURES_BUILD, target = "1s")
    public FeatureFrame build(TrafficColumns columns) {
        return buildOnThreads(columns, defaultThreads(columns.size()));
    }

    /** Every feature on at most {@code threads} threads (the caller's included); for comparisons at one thread. */
    FeatureFrame buildOnThreads(TrafficColumns columns, int threads) {
        boolean[] all = new boolean[catalogue.size()];
        Arrays.fill(all, true);
        return compute(columns, all, threads);
    }

    /** One thread below {@link #PARALLEL_MIN_ROWS} rows, else one per core up to the common pool's size plus one. */
    private static int defaultThreads(int rows) {
        return rows >= PARALLEL_MIN_ROWS
                ? Math.min(Runtime.getRuntime().availableProcessors(), ForkJoinPool.getCommonPoolParallelism() + 1)
                : 1;
    }

    /**
     * Builds only the named columns (in catalogue order, whatever the order of {@code names}); the values are those
     * {@link #build(TrafficColumns)} gives. Only the work those columns need is done: calendar columns alone need no
     * grouping by edge.
     *
     * @throws IllegalArgumentException for a name not in the catalogue (the message lists the known ones)
     */
    @Profiled(value = TrafficMetrics.FEATURES_BUILD_COLUMNS, target = "1s")
    public FeatureFrame build(TrafficColumns columns, Collection<String> names) {
        return buildOnThreads(columns, names, defaultThreads(columns.size()));
    }

    /** The named columns on at most {@code threads} threads; for comparisons at one thread. */
    FeatureFrame buildOnThreads(TrafficColumns columns, Collection<String> names, int threads) {
        Set<String> wanted = new HashSet<>(names);
        boolean[] selected = new boolean[catalogue.size()];
        for (int c = 0; c < catalogue.size(); c++) {
            selected[c] = wanted.remove(catalogue.get(c).name());
        }
        if (!wanted.isEmpty()) {
            throw new IllegalArgumentException("unknown feature columns " + wanted + "; known: "
                    + catalogue.stream().map(FeatureColumn::name).toList());
        }
        return compute(columns, selected, threads);
    }

    private FeatureFrame compute(TrafficColumns columns, boolean[] selected, int threads) {
        int n = columns.size();
        double[][] values = new double[catalogue.size()][];
        int temporalFirst = BASE_COLUMNS;
        int spatialFirst = temporalFirst + TemporalFeatures.COLUMNS;
        int lagFirst = spatialFirst + SpatialFeatures.COLUMNS;
        boolean temporal = any(selected, temporalFirst, spatialFirst);
        boolean grouped = any(selected, spatialFirst, selected.length);
        // Copies of the input columns, only those the selected columns read.
        int[] edge = grouped || selected[0] ? columns.edgeIndexes() : null;
        long[] epochSecond = grouped || temporal || selected[1] ? columns.epochSeconds() : null;
        double[] speed = grouped || selected[2] ? columns.speedsKmh() : null;

        // Phase 1: what the column passes read. The calendar in two halves, the edge groups beside them.
        TemporalFeatures.Calendar calendar = temporal ? new TemporalFeatures.Calendar(n) : null;
        EdgeGroups[] groups = new EdgeGroups[1];
        List<Runnable> prepare = new ArrayList<>();
        if (grouped) {
            prepare.add(() -> groups[0] = EdgeGroups.of(edge, epochSecond, speed, columns.edgeCount()));
        }
        if (temporal) {
            int half = threads > 1 ? n / 2 : n;
            prepare.add(() -> TemporalFeatures.calendar(epochSecond, 0, half, config.holidays(), config.zone(),
                    calendar));
            prepare.add(() -> TemporalFeatures.calendar(epochSecond, half, n, config.holidays(), config.zone(),
                    calendar));
        }
        // The output columns of the grouped passes, allocated (and zeroed by the JVM, a sequential write of every
        // array) beside the edge groups and the calendar, half on each thread, not on the calling thread between the
        // phases.
        int[] windows = config.rollingWindows();
        int[] lagMinutes = config.lagMinutes();
        int rollingFirst = lagFirst + lagMinutes.length;
        int changeFirst = rollingFirst + 4 * windows.length;
        boolean spatial = grouped && any(selected, spatialFirst, lagFirst);
        boolean rolling = grouped && any(selected, rollingFirst, changeFirst);
        boolean change = grouped && any(selected, changeFirst, changeFirst + 2);
        int[] lagColumns = new int[lagMinutes.length];
        int lagCount = 0;
        List<Integer> outputs = new ArrayList<>();
        for (int c = spatialFirst; c < selected.length; c++) {
            boolean lag = c >= lagFirst && c < rollingFirst && grouped && selected[c];
            if (lag) {
                lagColumns[lagCount++] = c;
            }
            if ((c < lagFirst && spatial) || lag || (c >= rollingFirst && c < changeFirst && rolling)
                    || (c >= changeFirst && change)) {
                outputs.add(c);
            }
        }
        int outputCount = outputs.size();
        for (int half = 0; half < 2 && outputCount > 0; half++) {
            int from = half == 0 ? 0 : outputCount / 2;
            int to = half == 0 ? outputCount / 2 : outputCount;
            prepare.add(() -> {
                for (int i = from; i < to; i++) {
                    values[outputs.get(i)] = new double[n];
                }
            });
        }
        runAll(prepare, threads);
        int[][] neighbours = grouped ? neighbours(columns.network()) : null;

        // Phase 2: one pass per column or group of columns, heaviest first so that the threads finish together. On
        // several threads the heavy passes are split into row ranges (each range of the walk by time starts its own
        // pointers), so that no single pass decides the wall time.
        List<Runnable> passes = new ArrayList<>();
        int chunks = threads > 1 ? 4 * threads : 1;
        if (grouped) {
            EdgeGroups g = groups[0];
            if (spatial) {
                double[][] out = Arrays.copyOfRange(values, spatialFirst, lagFirst);
                for (int c = 0; c < chunks; c++) {
                    int from = bound(n, chunks, c);
                    int to = bound(n, chunks, c + 1);
                    passes.add(() -> SpatialFeatures.compute(columns.networkEdgeCount(), neighbours, g, config, out,
                            from, to));
                }
            }
            if (rolling) {
                double[][][] out = new double[windows.length][][];
                for (int w = 0; w < windows.length; w++) {
                    out[w] = Arrays.copyOfRange(values, rollingFirst + 4 * w, rollingFirst + 4 * w + 4);
                }
                for (int c = 0; c < chunks; c++) {
                    int from = bound(n, chunks, c);
                    int to = bound(n, chunks, c + 1);
                    passes.add(() -> LagFeatures.rolling(g, windows, out, from, to));
                }
            }
            if (lagCount > 0) {
                long[] lagSec = new long[lagCount];
                long[] toleranceSec = new long[lagCount];
                double[][] out = new double[lagCount][];
                for (int l = 0; l < lagCount; l++) {
                    lagSec[l] = lagMinutes[lagColumns[l] - lagFirst] * 60L;
                    toleranceSec[l] = Math.round(lagSec[l] * config.lagTolerance());
                    out[l] = values[lagColumns[l]];
                }
                int lagChunks = Math.max(1, chunks / 2);
                for (int c = 0; c < lagChunks; c++) {
                    int from = bound(n, lagChunks, c);
                    int to = bound(n, lagChunks, c + 1);
                    passes.add(() -> LagFeatures.lags(g, lagSec, toleranceSec, out, from, to));
                }
            }
            if (change) {
                double[] changeOut = values[changeFirst];
                double[] pctChangeOut = values[changeFirst + 1];
                passes.add(() -> LagFeatures.change(g, changeOut, pctChangeOut, 0, n));
            }
        }
        for (int t = 0; t < TemporalFeatures.COLUMNS; t++) {
            int index = t;
            if (selected[temporalFirst + t]) {
                passes.add(() -> TemporalFeatures.fill(index, calendar, 0, n,
                        allocate(values, temporalFirst + index, 1, n)[0]));
            }
        }
        if (selected[0]) {
            passes.add(() -> {
                double[] out = allocate(values, 0, 1, n)[0];
                for (int row = 0; row < n; row++) {
                    out[row] = edge[row];
                }
            });
        }
        if (selected[1]) {
            passes.add(() -> {
                double[] out = allocate(values, 1, 1, n)[0];
                for (int row = 0; row < n; row++) {
                    out[row] = epochSecond[row];
                }
            });
        }
        if (selected[2]) {
            values[2] = speed; // a private copy already, only read by the passes
        }
        if (selected[3]) {
            passes.add(() -> {
                double[] out = allocate(values, 3, 1, n)[0];
                for (int row = 0; row < n; row++) {
                    out[row] = columns.distanceKm(row);
                }
            });
        }
        if (selected[4]) {
            passes.add(() -> {
                double[] out = allocate(values, 4, 1, n)[0];
                for (int row = 0; row < n; row++) {
                    out[row] = columns.durationSec(row);
                }
            });
        }
        runAll(passes, threads);

        List<FeatureColumn> kept = new ArrayList<>();
        List<double[]> keptValues = new ArrayList<>();
        for (int c = 0; c < selected.length; c++) {
            if (selected[c]) {
                kept.add(catalogue.get(c));
                keptValues.add(values[c]);
            }
        }
        return new FeatureFrame(n, kept, keptValues.toArray(new double[0][]));
    }

    private static final int BASE_COLUMNS = 5;

    /** Start of range {@code c} of {@code chunks} equal ranges over {@code n} rows (the end for {@code c = chunks}). */
    private static int bound(int n, int chunks, int c) {
        return (int) ((long) n * c / chunks);
    }

    private static boolean any(boolean[] selected, int from, int to) {
        for (int c = from; c < to; c++) {
            if (selected[c]) {
                return true;
            }
        }
        return false;
    }

    /** New arrays for columns {@code [first, first + count)}, stored into {@code values} and returned. */
    private static double[][] allocate(double[][] values, int first, int count, int rows) {
        double[][] out = new double[count][];
        for (int i = 0; i < count; i++) {
            out[i] = new double[rows];
            values[first + i] = out[i];
        }
        return out;
    }

    /**
     * Runs independent tasks on the calling thread and up to {@code threads - 1} tasks of the common fork-join pool,
     * each taking the next task from a shared index, and returns when every task has run; the first exception of a
     * task is rethrown. A helper the pool starts late finds nothing left and returns: the caller never waits for a
     * helper that has not claimed a task.
     */
    private static void runAll(List<Runnable> tasks, int threads) {
        int helpers = Math.min(threads, tasks.size()) - 1;
        if (helpers <= 0) {
            tasks.forEach(Runnable::run);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        CountDownLatch remaining = new CountDownLatch(tasks.size());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < tasks.size(); i = next.getAndIncrement()) {
                try {
                    tasks.get(i).run();
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    remaining.countDown();
                }
            }
        };
        for (int h = 0; h < helpers; h++) {
            ForkJoinPool.commonPool().execute(worker);
        }
        worker.run();
        boolean interrupted = false;
        while (true) {
            try {
                remaining.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
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
