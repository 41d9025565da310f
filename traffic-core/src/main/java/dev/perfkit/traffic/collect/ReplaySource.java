package dev.perfkit.traffic.collect;

import dev.perfkit.annotation.Timed;
import dev.perfkit.traffic.io.TrafficReader;
import dev.perfkit.traffic.metrics.TrafficMetrics;
import dev.perfkit.traffic.model.CityTime;
import dev.perfkit.traffic.model.RoadNetwork;
import dev.perfkit.traffic.model.TrafficRecord;
import dev.perfkit.traffic.model.TrafficRun;
import dev.perfkit.traffic.model.WeatherSample;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Replays recorded runs in time order: the embedded default source, needing no network. {@link #bundled()} replays
 * the 12 real Ho Chi Minh City runs of 2025-10-30 (144 edges each, with weather), recorded in local time (UTC+7) and
 * returned as UTC date-times like every source ({@link CityTime}).
 *
 * <p>After the last run it starts again from the first, with every timestamp shifted by whole days (the span of the
 * runs rounded up, at least one day) per lap, so time keeps moving forward. Thread-safe.
 */
public final class ReplaySource implements DirectionsSource {

    private static final String DATA_DIR = "/dev/perfkit/traffic/data/hcmc/";
    private static final DateTimeFormatter RUN_NAME = DateTimeFormatter.ofPattern("'run_'yyyyMMdd_HHmmss");

    private final RoadNetwork network;
    private final List<TrafficRun> runs;
    private final long lapDays;
    private long position; // guarded by this: runs returned so far

    private ReplaySource(RoadNetwork network, List<TrafficRun> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("a replay needs at least one run");
        }
        this.network = Objects.requireNonNull(network, "network");
        List<TrafficRun> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparing(TrafficRun::runTimestamp));
        this.runs = List.copyOf(sorted);
        LocalDateTime first = this.runs.get(0).runTimestamp();
        LocalDateTime last = this.runs.get(this.runs.size() - 1).runTimestamp();
        // whole days of the city's calendar, so a lap keeps each run at the same local time of day
        LocalDateTime firstLocal = CityTime.toLocal(first, CityTime.DEFAULT_ZONE);
        this.lapDays = Duration.between(firstLocal.toLocalDate().atStartOfDay(),
                CityTime.toLocal(last, CityTime.DEFAULT_ZONE)).toDays() + 1;
    }

    /** The bundled real runs over {@link RoadNetwork#hcmc()}. */
    public static ReplaySource bundled() {
        return new ReplaySource(RoadNetwork.hcmc(), bundledRuns());
    }

    /** A replay of the given runs (sorted by run timestamp) over a network. */
    public static ReplaySource of(RoadNetwork network, List<TrafficRun> runs) {
        return new ReplaySource(network, runs);
    }

    /** The 12 bundled runs, oldest first, read from the class path (listed in {@code runs.txt}). */
    public static List<TrafficRun> bundledRuns() {
        return Bundled.RUNS;
    }

    /** The bundled 10-record fixture of an earlier collection (other edges; one row has duration 0). */
    public static List<TrafficRecord> bundledFixture() {
        try (InputStream in = open(DATA_DIR + "fixture_traffic_edges.json")) {
            return TrafficReader.readJson(in, "classpath:" + DATA_DIR + "fixture_traffic_edges.json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public RoadNetwork network() {
        return network;
    }

    /** The runs of one lap, oldest first. */
    public List<TrafficRun> runs() {
        return runs;
    }

    /** Number of runs returned so far. */
    public synchronized long position() {
        return position;
    }

    /**
     * Skips ahead so that the next run starts after {@code timestamp} (for resuming a replay against a store that
     * already holds earlier runs). Never moves backwards.
     */
    public synchronized void skipPast(LocalDateTime timestamp) {
        while (runAt(position).runTimestamp().compareTo(timestamp) <= 0) {
            position++;
        }
    }

    /** The next run (wrapping around with shifted timestamps). */
    @Timed(TrafficMetrics.COLLECT_REPLAY)
    @Override
    public synchronized TrafficRun collect() {
        return runAt(position++);
    }

    private TrafficRun runAt(long index) {
        long lap = index / runs.size();
        TrafficRun run = runs.get((int) (index % runs.size()));
        if (lap == 0) {
            return run;
        }
        long shiftDays = lap * lapDays;
        List<TrafficRecord> records = new ArrayList<>(run.records().size());
        for (TrafficRecord r : run.records()) {
            records.add(r.withTimestamp(r.timestamp() == null ? null : r.timestamp().plusDays(shiftDays)));
        }
        List<WeatherSample> weather = new ArrayList<>(run.weather().size());
        for (WeatherSample w : run.weather()) {
            weather.add(new WeatherSample(w.nodeId(), w.lat(), w.lon(),
                    w.timestamp() == null ? null : w.timestamp().plusDays(shiftDays), w.temperatureC(),
                    w.precipitationMm(), w.windSpeedKmh()));
        }
        return new TrafficRun(run.runTimestamp().plusDays(shiftDays), records, weather);
    }

    private static final class Bundled {
        static final List<TrafficRun> RUNS = load();

        private static List<TrafficRun> load() {
            List<TrafficRun> runs = new ArrayList<>();
            for (String name : runNames()) {
                String base = DATA_DIR + "runs/" + name;
                try (InputStream records = open(base + ".json"); InputStream weather = open(base + ".weather.json")) {
                    // names and timestamps of the bundled runs are local time of Ho Chi Minh City
                    runs.add(new TrafficRun(CityTime.toUtc(LocalDateTime.parse(name, RUN_NAME), CityTime.DEFAULT_ZONE),
                            TrafficReader.readJson(records, "classpath:" + base + ".json", CityTime.DEFAULT_ZONE),
                            TrafficReader.readWeatherJson(weather, "classpath:" + base + ".weather.json",
                                    CityTime.DEFAULT_ZONE)));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read bundled run " + base, e);
                }
            }
            return List.copyOf(runs);
        }

        private static List<String> runNames() {
            try (InputStream in = open(DATA_DIR + "runs.txt");
                 BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                return reader.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                        .toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read bundled run index " + DATA_DIR + "runs.txt", e);
            }
        }
    }

    private static InputStream open(String resource) {
        InputStream in = ReplaySource.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("bundled resource missing from the class path: " + resource);
        }
        return in;
    }
}
