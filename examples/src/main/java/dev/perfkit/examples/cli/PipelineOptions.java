package dev.perfkit.examples.cli;

import dev.perfkit.traffic.collect.DirectionsSource;
import dev.perfkit.traffic.collect.http.HttpDirectionsClient;
import dev.perfkit.traffic.collect.ReplaySource;
import dev.perfkit.traffic.collect.SimulatedSource;
import dev.perfkit.traffic.pipeline.TrafficPipeline;
import java.net.URI;
import dev.perfkit.traffic.storage.Dialect;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Options shared by {@code run} and {@code serve}: where traffic comes from, where it is stored, for how long. */
final class PipelineOptions {

    static final String DEFAULT_DATA_DIR = "traffic-perf-data";
    static final String DATABASE_FILE = "traffic.db";
    static final String DEFAULT_RETENTION = "30d";

    enum Source { replay, simulated, http }

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = DEFAULT_DATA_DIR,
            description = "Directory for the metrics log, the profile and (without --db) the SQLite database "
                    + "DIR/traffic.db (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "Database by JDBC URL instead of DIR/traffic.db: jdbc:sqlite:<file> or "
                    + "jdbc:postgresql://<host>:<port>/<database>?user=<user>&password=<password> "
                    + "(the password is masked in every message).")
    String db;

    @Option(names = "--retention", paramLabel = "WINDOW", defaultValue = DEFAULT_RETENTION,
            converter = RetentionConverter.class,
            description = "Keep the records of the last WINDOW before each run, deleting older ones after the store "
                    + "in their own transaction: 30d, 12h, 90m, P30D, or off (default: ${DEFAULT-VALUE}).")
    Duration retention;

    @Option(names = "--source", defaultValue = "replay",
            description = "Where traffic comes from: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}: the bundled "
                    + "real Ho Chi Minh City runs, in time order).")
    Source source;

    @Option(names = "--edges", paramLabel = "N", defaultValue = "144",
            description = "Edges for --source simulated, 1 to 1000000 (default: ${DEFAULT-VALUE}).")
    int edges;

    @Option(names = "--seed", defaultValue = "42",
            description = "Seed for --source simulated (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--base-url", paramLabel = "URL", description = "Directions API base URL for --source http.")
    URI baseUrl;

    @Option(names = "--api-key-env", paramLabel = "NAME",
            description = "Environment variable holding the API key for --source http (the key is never printed).")
    String apiKeyEnv;

    @Option(names = "--wait", paramLabel = "DURATION", arity = "0..1", fallbackValue = WAIT_FOREVER,
            converter = DurationConverter.class,
            description = "When another run or serve holds the data directory (or the PostgreSQL schema of --db), "
                    + "wait until it exits, at most DURATION with --wait=DURATION (e.g. 2m). Without --wait, exit 1 "
                    + "naming the holder's pid.")
    Duration wait;

    /** {@code --wait} without a duration: ten years. */
    static final String WAIT_FOREVER = "P3650D";

    void check(CommandLine commandLine) {
        if (wait != null && wait.isNegative()) {
            throw new CommandLine.ParameterException(commandLine, "--wait must be 0 or more, was " + wait);
        }
        if (java.nio.file.Files.exists(dataDir) && !java.nio.file.Files.isDirectory(dataDir)) {
            // not a usage error: the option is well-formed, the file system disagrees (exit 1, one line)
            throw new IllegalArgumentException("--data-dir " + dataDir + " is a file, not a directory");
        }
        if (db != null) {
            try {
                Dialect.fromJdbcUrl(db);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(commandLine, "--db: " + e.getMessage());
            }
        }
        if (retention != null && (retention.compareTo(Duration.ofHours(1)) < 0
                || retention.compareTo(Duration.ofDays(36_500)) > 0)) {
            throw new CommandLine.ParameterException(commandLine, "--retention must be 1h to 36500d (or off), was "
                    + retention);
        }
        if (edges < 1 || edges > 1_000_000) {
            throw new CommandLine.ParameterException(commandLine, "--edges must be 1 to 1000000, was " + edges);
        }
        if (source == Source.http && (baseUrl == null || apiKeyEnv == null)) {
            throw new CommandLine.ParameterException(commandLine,
                    "--source http needs --base-url URL and --api-key-env NAME");
        }
    }

    DirectionsSource openSource(CommandLine commandLine) {
        return switch (source) {
            case replay -> ReplaySource.bundled();
            case simulated -> SimulatedSource.builder(edges).seed(seed).build();
            case http -> {
                String key = System.getenv(apiKeyEnv);
                if (key == null || key.isBlank()) {
                    throw new CommandLine.ParameterException(commandLine,
                            "environment variable " + apiKeyEnv + " (from --api-key-env) is not set");
                }
                yield HttpDirectionsClient.builder(baseUrl, ReplaySource.bundled().network()).apiKey(key).build();
            }
        };
    }

    /**
     * A pipeline over {@code directions} storing into {@code --db} or {@code DIR/traffic.db}, with the retention
     * window. With {@code continueReplay}, a replay of the bundled runs continues after the newest run already stored,
     * so repeated runs do not store the same run twice; a file given with {@code --input} is stored as it is
     * ({@code continueReplay} false), its timestamps never shifted.
     */
    TrafficPipeline openPipeline(DirectionsSource directions, boolean continueReplay) {
        TrafficPipeline.Builder builder = TrafficPipeline.builder().source(directions).retention(retention);
        TrafficPipeline pipeline = (db != null ? builder.database(db) : builder.sqlite(database())).build();
        if (continueReplay && directions instanceof ReplaySource replay && source == Source.replay) {
            pipeline.store().latest().ifPresent(latest -> replay.skipPast(latest.runTimestamp()));
        }
        return pipeline;
    }

    /**
     * The database as shown to others (the dashboard): an SQLite file by its name only, any other URL masked; never
     * an absolute path.
     */
    String databaseLabel(String maskedUrl) {
        if (db == null) {
            return DATABASE_FILE;
        }
        if (maskedUrl.startsWith("jdbc:sqlite:")) {
            Path name = Path.of(maskedUrl.substring("jdbc:sqlite:".length())).getFileName();
            return name == null ? "sqlite" : name.toString();
        }
        return maskedUrl;
    }

    /** The SQLite file used without {@code --db}. */
    Path database() {
        return dataDir.resolve(DATABASE_FILE);
    }
}
