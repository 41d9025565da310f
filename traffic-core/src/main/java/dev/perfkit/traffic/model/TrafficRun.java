package dev.perfkit.traffic.model;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Objects;

/**
 * One collection run: the records collected for a set of edges at about the same time, and the weather samples
 * taken with them.
 *
 * @param runTimestamp when the run started, as a UTC date-time ({@link CityTime}); stored with every record of the run
 * @param records      the records, in collection order (copied; no null elements)
 * @param weather      weather samples of the run, possibly empty (copied; no null elements)
 */
public record TrafficRun(LocalDateTime runTimestamp, List<TrafficRecord> records, List<WeatherSample> weather) {

    public TrafficRun {
        Objects.requireNonNull(runTimestamp, "runTimestamp");
        records = List.copyOf(records);
        weather = weather == null ? List.of() : List.copyOf(weather);
    }

    /** A run without weather samples. */
    public TrafficRun(LocalDateTime runTimestamp, List<TrafficRecord> records) {
        this(runTimestamp, records, List.of());
    }
}
