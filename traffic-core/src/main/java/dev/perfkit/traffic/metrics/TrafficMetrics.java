package dev.perfkit.traffic.metrics;

/**
 * The timer names of the traffic domain, as the {@code @Timed} and {@code @Profiled} annotations of traffic-core give
 * them. Exported as is (Prometheus replaces the dots with underscores: {@code traffic_storage_save_seconds}). A
 * {@code @Profiled} timer also has {@code NAME.cpu} (nanoseconds) and {@code NAME.alloc} (bytes). Targets, where
 * set, are the 99th-percentile bounds inherited from the first version of the system.
 */
public final class TrafficMetrics {

    /** One pipeline cycle: collect, validate, store, retention, features, forecast. */
    public static final String CYCLE_RUN = "traffic.cycle.run";
    public static final String CYCLE_COLLECT = "traffic.cycle.collect";
    public static final String CYCLE_VALIDATE = "traffic.cycle.validate";
    public static final String CYCLE_STORE = "traffic.cycle.store";
    public static final String CYCLE_RETENTION = "traffic.cycle.retention";
    public static final String CYCLE_FEATURES = "traffic.cycle.features";
    public static final String CYCLE_FORECAST = "traffic.cycle.forecast";

    /** Building the feature frame, target 1 s (inherited: 10,000 rows). */
    public static final String FEATURES_BUILD = "traffic.features.build";
    public static final String FEATURES_BUILD_COLUMNS = "traffic.features.build_columns";

    /** One Haversine distance, target 1 ms; sampled one call in 64. */
    public static final String GEO_HAVERSINE = "traffic.geo.haversine";
    public static final String GEO_NEIGHBOURS = "traffic.geo.neighbours";

    public static final String COLLECT_REPLAY = "traffic.collect.replay";
    public static final String COLLECT_SIMULATED = "traffic.collect.simulated";
    public static final String COLLECT_HTTP = "traffic.collect.http";
    public static final String COLLECT_DIRECTIONS = "traffic.collect.directions";
    public static final String COLLECT_WEATHER = "traffic.collect.weather";

    /** Validating a run, target 500 ms (inherited: 1,000 rows). */
    public static final String VALIDATION_VALIDATE = "traffic.validation.validate";

    /** Storing one run, target 100 ms (inherited: 100 rows). */
    public static final String STORAGE_SAVE = "traffic.storage.save";
    public static final String STORAGE_SAVE_BATCH = "traffic.storage.save_batch";
    public static final String STORAGE_LATEST = "traffic.storage.latest";
    public static final String STORAGE_RANGE = "traffic.storage.range";
    public static final String STORAGE_EDGE_HISTORY = "traffic.storage.edge_history";
    public static final String STORAGE_CLEANUP = "traffic.storage.cleanup";
    public static final String STORAGE_COUNT = "traffic.storage.count";

    /** One prediction, target 10 ms; sampled one call in 64. */
    public static final String FORECAST_PREDICT = "traffic.forecast.predict";
    public static final String FORECAST_PREDICT_ALL = "traffic.forecast.predict_all";
    public static final String FORECAST_EVALUATE = "traffic.forecast.evaluate";

    public static final String IO_READ_JSON = "traffic.io.read_json";
    public static final String IO_READ_CSV = "traffic.io.read_csv";

    private TrafficMetrics() {
    }
}
