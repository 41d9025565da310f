package dev.perfkit.traffic.pipeline;

import dev.perfkit.annotation.Timed;
import dev.perfkit.traffic.collect.DirectionsSource;
import dev.perfkit.traffic.collect.ReplaySource;
import dev.perfkit.traffic.features.FeatureEngineer;
import dev.perfkit.traffic.features.FeatureFrame;
import dev.perfkit.traffic.forecast.Forecast;
import dev.perfkit.traffic.forecast.TrafficForecaster;
import dev.perfkit.traffic.geo.Geo;
import dev.perfkit.traffic.metrics.TrafficMetrics;
import dev.perfkit.traffic.model.Node;
import dev.perfkit.traffic.model.RoadNetwork;
import dev.perfkit.traffic.model.TrafficColumns;
import dev.perfkit.traffic.model.TrafficRecord;
import dev.perfkit.traffic.model.TrafficRun;
import dev.perfkit.traffic.storage.SaveResult;
import dev.perfkit.traffic.storage.StoreOptions;
import dev.perfkit.traffic.storage.TrafficStore;
import dev.perfkit.traffic.validation.ValidationReport;
import dev.perfkit.traffic.validation.Validator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cycle = collect, validate, store, retention (when configured), build features, forecast; each stage is a timed
 * method and the cycle returns a {@link CycleSummary} with counts and stage durations.
 *
 * <pre>{@code
 * try (TrafficPipeline pipeline = TrafficPipeline.builder()
 *         .source(ReplaySource.bundled())          // the default
 *         .sqlite(Path.of("traffic.db"))           // opened and closed by the pipeline
 *         .build()) {
 *     CycleSummary summary = pipeline.runCycle();
 * }
 * }</pre>
 *
 * <p>Only valid rows are stored and used; rejected rows are reported in the summary with their reasons. Features are
 * built over this run plus the recent runs kept in memory ({@link Builder#featureHistory}, 2 h by default), so lags
 * and rolling windows have history. On its first cycle the pipeline primes the forecaster and that history from the
 * store ({@link Builder#primeWindow}, 7 days by default), so a new process continues where the last one stopped.
 *
 * <p>Not thread-safe: run cycles from one thread (or one scheduler). A failing stage throws (a
 * {@link dev.perfkit.traffic.collect.CollectionException} or a
 * {@link dev.perfkit.traffic.storage.TrafficStoreException}); nothing after it runs.
 */
public final class TrafficPipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrafficPipeline.class);
    /** Relative slack of the straight-line check: node coordinates are rounded. */
    static final double STRAIGHT_LINE_TOLERANCE = 0.05;
    /** Rejection reason of a valid record that the store already held. */
    public static final String DUPLICATE_OF_STORED = "DUPLICATE:stored";

    private final DirectionsSource source;
    private final TrafficStore store;
    private final boolean ownsStore;
    private final Validator validator;
    private final FeatureEngineer featureEngineer;
    private final TrafficForecaster forecaster;
    private final int[] horizonsMinutes;
    private final Duration featureHistory;
    private final Duration primeWindow;
    private final Duration retention;
    private final Deque<TrafficRun> recentRuns = new ArrayDeque<>();
    private boolean primed;
    /** A collected run whose cycle failed before its store committed; the next {@link #runCycle()} retries it. */
    private TrafficRun unstored;

    private TrafficPipeline(Builder b) {
        this.source = b.source != null ? b.source : ReplaySource.bundled();
        if (b.store != null) {
            this.store = b.store;
            this.ownsStore = false;
        } else if (b.sqliteFile != null) {
            this.store = TrafficStore.open(b.sqliteFile);
            this.ownsStore = true;
        } else if (b.jdbcUrl != null) {
            this.store = TrafficStore.open(b.jdbcUrl, StoreOptions.defaults());
            this.ownsStore = true;
        } else {
            throw new IllegalStateException("a pipeline needs a store: call store(...), sqlite(...) or database(...)");
        }
        this.validator = b.validator != null ? b.validator : new Validator();
        this.featureEngineer = b.featureEngineer != null ? b.featureEngineer : new FeatureEngineer();
        this.forecaster = b.forecaster != null ? b.forecaster
                : TrafficForecaster.builder(source.network().edgeCount()).build();
        this.horizonsMinutes = b.horizonsMinutes.clone();
        this.featureHistory = b.featureHistory;
        this.primeWindow = b.primeWindow;
        this.retention = b.retention;
    }

    public static Builder builder() {
        return new Builder();
    }

    public DirectionsSource source() {
        return source;
    }

    public RoadNetwork network() {
        return source.network();
    }

    public TrafficStore store() {
        return store;
    }

    public TrafficForecaster forecaster() {
        return forecaster;
    }

    /**
     * Runs one full cycle. When the previous cycle collected a run but failed before storing it (a locked or full
     * database, an error thrown by any stage up to the store), this cycle processes that run again instead of
     * collecting a new one, so a failure never skips a run (as a new process resuming a replay would not).
     */
    @Timed(TrafficMetrics.CYCLE_RUN)
    public CycleSummary runCycle() {
        long start = System.nanoTime();
        TrafficRun run = unstored != null ? unstored : collect();
        unstored = run;
        return cycle(run, List.of(), start, System.nanoTime());
    }

    /** Whether the next {@link #runCycle()} retries a run whose cycle failed before its store committed. */
    public boolean retryPending() {
        return unstored != null;
    }

    /**
     * Runs one cycle on a given run instead of collecting one (the collect stage takes no time), for a file read
     * with {@link dev.perfkit.traffic.io.TrafficReader#readRows}: rows with an input issue are rejected with it.
     *
     * @param run         the run to process
     * @param inputIssues issues found while reading the run's records (rows index {@code run.records()})
     */
    @Timed(TrafficMetrics.CYCLE_RUN)
    public CycleSummary runCycle(TrafficRun run, List<ValidationReport.Issue> inputIssues) {
        long start = System.nanoTime();
        return cycle(Objects.requireNonNull(run, "run"), inputIssues, start, start);
    }

    private CycleSummary cycle(TrafficRun run, List<ValidationReport.Issue> inputIssues, long start,
                               long afterCollect) {
        if (!primed) {
            prime(run.runTimestamp());
        }
        long afterPrime = System.nanoTime();
        ValidationReport report = inputIssues.isEmpty() ? validate(run) : validate(run, inputIssues);
        int shorterThanStraightLine = shorterThanStraightLine(report.validRecords());
        long afterValidate = System.nanoTime();
        SaveResult saved = store(run.runTimestamp(), report);
        unstored = null;
        long afterStore = System.nanoTime();
        int deleted = retention == null ? 0 : applyRetention(run.runTimestamp());
        long afterRetention = System.nanoTime();
        TrafficRun validRun = new TrafficRun(run.runTimestamp(), withoutDuplicates(report.validRecords(), saved));
        FeatureFrame features = buildFeatures(validRun);
        long afterFeatures = System.nanoTime();
        Forecast forecast = forecast(validRun);
        long end = System.nanoTime();
        Map<String, Integer> reasons = new TreeMap<>(report.rejectionReasonCounts());
        if (saved.duplicates() > 0) {
            reasons.merge(DUPLICATE_OF_STORED, saved.duplicates(), Integer::sum);
        }
        CycleSummary summary = new CycleSummary(run.runTimestamp(), source.name(), report.totalRows(),
                report.passedRows() - saved.duplicates(), report.failedRows() + saved.duplicates(), reasons,
                report.warnings().size(), shorterThanStraightLine, saved.rowsStored(), deleted, retention,
                features.rowCount(), features.columnCount(), forecast.size(),
                IntStream.of(horizonsMinutes).boxed().toList(), forecast.meanSpeedKmh(), forecaster.profileActive(),
                afterCollect - start, afterValidate - afterPrime, afterStore - afterValidate,
                afterRetention - afterStore, afterFeatures - afterRetention, end - afterFeatures, end - start, report,
                forecast);
        LOG.info("{}", summary);
        return summary;
    }

    /** Stage 1: collect one run from the source. */
    @Timed(TrafficMetrics.CYCLE_COLLECT)
    public TrafficRun collect() {
        return source.collect();
    }

    /** Stage 2: validate the run's records. */
    @Timed(TrafficMetrics.CYCLE_VALIDATE)
    public ValidationReport validate(TrafficRun run) {
        return validator.validate(run.records());
    }

    /** Stage 2 for rows read with issues: those rows are rejected with them, the rest validated. */
    @Timed(TrafficMetrics.CYCLE_VALIDATE)
    public ValidationReport validate(TrafficRun run, List<ValidationReport.Issue> inputIssues) {
        return validator.validate(run.records(), inputIssues);
    }

    /**
     * Stage 3: store the valid records in one transaction. Records the store already holds (same edge and timestamp)
     * are skipped and reported in the result; the summary counts them as rejected ({@value #DUPLICATE_OF_STORED}).
     */
    @Timed(TrafficMetrics.CYCLE_STORE)
    public SaveResult store(LocalDateTime runTimestamp, ValidationReport report) {
        return store.insert(runTimestamp, report.validRecords());
    }

    /**
     * Stage 3b, after the store and in its own transaction: deletes the records older than the retention window
     * before {@code runTimestamp} (the data's own clock, so replaying old runs does not wipe them).
     *
     * @return rows deleted
     * @throws IllegalStateException when the pipeline has no retention window
     */
    @Timed(TrafficMetrics.CYCLE_RETENTION)
    public int applyRetention(LocalDateTime runTimestamp) {
        if (retention == null) {
            throw new IllegalStateException("this pipeline has no retention window");
        }
        return store.deleteOlderThan(retention, runTimestamp);
    }

    /** The forecast horizons in minutes (a copy). */
    int[] horizonsMinutes() {
        return horizonsMinutes.clone();
    }

    /** The retention window, or null when the pipeline keeps everything. */
    public Duration retention() {
        return retention;
    }

    static List<TrafficRecord> withoutDuplicates(List<TrafficRecord> records, SaveResult saved) {
        if (saved.duplicates() == 0) {
            return records;
        }
        List<TrafficRecord> kept = new ArrayList<>(records);
        List<Integer> skipped = saved.duplicateIndexes();
        for (int i = skipped.size() - 1; i >= 0; i--) {
            kept.remove((int) skipped.get(i));
        }
        return kept;
    }

    /**
     * Stage 4: add the valid run to the recent history and build features over the history window (this run plus the
     * runs of the last {@link Builder#featureHistory}).
     */
    @Timed(TrafficMetrics.CYCLE_FEATURES)
    public FeatureFrame buildFeatures(TrafficRun validRun) {
        remember(validRun);
        return featureEngineer.build(historyColumns());
    }

    /**
     * Stage 5: feed the valid run to the forecaster, then predict every edge for every horizon, plus one
     * instrumented single prediction (edge 0, first horizon) so the per-prediction latency is recorded too.
     */
    @Timed(TrafficMetrics.CYCLE_FORECAST)
    public Forecast forecast(TrafficRun validRun) {
        forecaster.observe(TrafficColumns.of(validRun.records(), network()));
        Forecast all = forecaster.predictAll(horizonsMinutes);
        if (forecaster.edgeCount() > 0) {
            forecaster.predict(0, horizonsMinutes[0]);
        }
        return all;
    }

    /**
     * Part of the validate stage: counts valid records whose reported road distance is shorter than the great-circle
     * distance between their endpoints (less {@value #STRAIGHT_LINE_TOLERANCE} for rounded coordinates), which no
     * road can be. Such rows are kept (the directions API is the authority on the road) but counted, so a drifting
     * source shows up in the summary. Records of edges outside the network are skipped.
     */
    int shorterThanStraightLine(List<TrafficRecord> records) {
        RoadNetwork network = network();
        int count = 0;
        for (TrafficRecord r : records) {
            Node a = r.nodeAId() == null ? null : network.node(r.nodeAId());
            Node b = r.nodeBId() == null ? null : network.node(r.nodeBId());
            if (a == null || b == null || !Double.isFinite(r.distanceKm())) {
                continue;
            }
            double straightKm = Geo.haversineKm(a.lat(), a.lon(), b.lat(), b.lon());
            if (r.distanceKm() < straightKm * (1 - STRAIGHT_LINE_TOLERANCE)) {
                count++;
            }
        }
        return count;
    }

    /** Primes from the store before the first run at {@code firstRunTimestamp}, unless already primed. */
    void primeBefore(LocalDateTime firstRunTimestamp) {
        if (!primed) {
            prime(firstRunTimestamp);
        }
    }

    /** Loads the recent stored history before the first run into the forecaster and the feature window. */
    private void prime(LocalDateTime firstRunTimestamp) {
        primed = true;
        if (primeWindow.isZero()) {
            return;
        }
        List<TrafficRecord> history = store.range(firstRunTimestamp.minus(primeWindow),
                firstRunTimestamp.minusNanos(1000));
        if (history.isEmpty()) {
            return;
        }
        List<TrafficRecord> usable = history.stream().filter(r -> r.nodeAId() != null && r.nodeBId() != null
                && r.timestamp() != null).toList();
        forecaster.observe(TrafficColumns.of(usable, network()));
        LocalDateTime windowStart = firstRunTimestamp.minus(featureHistory);
        List<TrafficRecord> recent = usable.stream().filter(r -> !r.timestamp().isBefore(windowStart)).toList();
        if (!recent.isEmpty()) {
            recentRuns.addLast(new TrafficRun(recent.get(0).timestamp(), recent));
        }
        LOG.info("primed from store: {} records since {}", usable.size(), firstRunTimestamp.minus(primeWindow));
    }

    private void remember(TrafficRun run) {
        recentRuns.addLast(run);
        LocalDateTime windowStart = run.runTimestamp().minus(featureHistory);
        while (!recentRuns.isEmpty() && recentRuns.peekFirst().runTimestamp().isBefore(windowStart)) {
            recentRuns.removeFirst();
        }
    }

    private TrafficColumns historyColumns() {
        List<TrafficRecord> rows = new ArrayList<>();
        for (TrafficRun run : recentRuns) {
            rows.addAll(run.records());
        }
        rows.sort(Comparator.comparing(TrafficRecord::timestamp));
        return TrafficColumns.of(rows, network());
    }

    /** Closes the store if the pipeline opened it, and the source. */
    @Override
    public void close() {
        try {
            source.close();
        } finally {
            if (ownsStore) {
                store.close();
            }
        }
    }

    @Override
    public String toString() {
        return "TrafficPipeline[source=" + source.name() + ", store=" + store.url() + ", horizons="
                + Arrays.toString(horizonsMinutes) + "]";
    }

    /** Settings; everything but the store has a default. Not thread-safe. */
    public static final class Builder {
        private DirectionsSource source;
        private TrafficStore store;
        private Path sqliteFile;
        private String jdbcUrl;
        private Validator validator;
        private FeatureEngineer featureEngineer;
        private TrafficForecaster forecaster;
        private int[] horizonsMinutes = TrafficForecaster.DEFAULT_HORIZONS_MINUTES.clone();
        private Duration featureHistory = Duration.ofHours(2);
        private Duration primeWindow = Duration.ofDays(7);
        private Duration retention;

        private Builder() {
        }

        /**
         * Keeps only the records of the last {@code window} before each run (deleted after the store, in their own
         * transaction), in [1 h, 36500 days]; null (the default) keeps everything.
         *
         * @throws IllegalArgumentException for a window outside that range
         */
        public Builder retention(Duration window) {
            if (window != null && (window.compareTo(Duration.ofHours(1)) < 0
                    || window.compareTo(Duration.ofDays(36_500)) > 0)) {
                throw new IllegalArgumentException("retention must be in [1 h, 36500 days], got " + window);
            }
            this.retention = window;
            return this;
        }

        /** Where runs come from; default {@link ReplaySource#bundled()}. */
        public Builder source(DirectionsSource directionsSource) {
            this.source = Objects.requireNonNull(directionsSource, "source");
            return this;
        }

        /** A store owned by the caller (not closed by the pipeline). */
        public Builder store(TrafficStore trafficStore) {
            this.store = Objects.requireNonNull(trafficStore, "store");
            this.sqliteFile = null;
            this.jdbcUrl = null;
            return this;
        }

        /** An SQLite file the pipeline opens and closes. */
        public Builder sqlite(Path file) {
            this.sqliteFile = Objects.requireNonNull(file, "file");
            this.store = null;
            this.jdbcUrl = null;
            return this;
        }

        /**
         * A database by JDBC URL ({@code jdbc:sqlite:<file>} or {@code jdbc:postgresql://host:port/db?user=..}) that
         * the pipeline opens with {@link StoreOptions#defaults()} and closes.
         */
        public Builder database(String url) {
            this.jdbcUrl = Objects.requireNonNull(url, "url");
            this.store = null;
            this.sqliteFile = null;
            return this;
        }

        public Builder validator(Validator rowValidator) {
            this.validator = Objects.requireNonNull(rowValidator, "validator");
            return this;
        }

        public Builder featureEngineer(FeatureEngineer engineer) {
            this.featureEngineer = Objects.requireNonNull(engineer, "featureEngineer");
            return this;
        }

        /** The forecaster; its edge count should match the source's network. */
        public Builder forecaster(TrafficForecaster trafficForecaster) {
            this.forecaster = Objects.requireNonNull(trafficForecaster, "forecaster");
            return this;
        }

        /** Forecast horizons in minutes, each in [0, 1440], at least one. */
        public Builder horizonsMinutes(int... minutes) {
            if (minutes.length == 0) {
                throw new IllegalArgumentException("horizonsMinutes must not be empty");
            }
            for (int m : minutes) {
                if (m < 0 || m > 1440) {
                    throw new IllegalArgumentException("horizonsMinutes must each be in [0, 1440], got " + m);
                }
            }
            this.horizonsMinutes = minutes.clone();
            return this;
        }

        /** Recent runs kept in memory for lag and rolling features, in [0, 7 days]. */
        public Builder featureHistory(Duration window) {
            this.featureHistory = requireWindow("featureHistory", window);
            return this;
        }

        /** How far back the first cycle reads the store to prime the forecaster, in [0, 7 days]; 0 disables. */
        public Builder primeWindow(Duration window) {
            this.primeWindow = requireWindow("primeWindow", window);
            return this;
        }

        /**
         * Builds the pipeline (opening the SQLite file if one was given).
         *
         * @throws IllegalStateException when no store was configured
         */
        public TrafficPipeline build() {
            return new TrafficPipeline(this);
        }

        private static Duration requireWindow(String name, Duration window) {
            Objects.requireNonNull(window, name);
            if (window.isNegative() || window.compareTo(Duration.ofDays(7)) > 0) {
                throw new IllegalArgumentException(name + " must be in [0, 7 days], got " + window);
            }
            return window;
        }
    }
}
