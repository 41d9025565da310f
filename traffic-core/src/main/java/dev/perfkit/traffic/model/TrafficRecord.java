package dev.perfkit.traffic.model;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * One observed travel time on a directed segment, as collected.
 *
 * <p>The record is deliberately permissive: it holds whatever was read or collected, including missing values
 * ({@code null} strings and timestamps, {@code NaN} numbers) and out-of-range ones, so that
 * {@link dev.perfkit.traffic.validation.Validator} can report every bad row with its reasons instead of a parser
 * silently dropping it.
 *
 * @param nodeAId     start node id ({@code node_a_id}); null when missing
 * @param nodeBId     end node id ({@code node_b_id}); null when missing
 * @param timestamp   observation time as a UTC date-time ({@link CityTime}); null when missing
 * @param distanceKm  route distance in kilometres; NaN when missing
 * @param durationSec travel time in seconds; NaN when missing
 * @param speedKmh    mean speed in km/h; NaN when missing
 * @param apiType     where the value came from, e.g. {@code real}, {@code replay}, {@code simulated}; null when missing
 */
public record TrafficRecord(String nodeAId, String nodeBId, LocalDateTime timestamp, double distanceKm,
                            double durationSec, double speedKmh, String apiType) {

    /**
     * The timestamp as seconds since 1970-01-01T00:00:00Z (fractions of a second dropped).
     *
     * @throws NullPointerException when the timestamp is missing
     */
    public long epochSecond() {
        return timestamp.toEpochSecond(ZoneOffset.UTC);
    }

    /** This record with its timestamp replaced. */
    public TrafficRecord withTimestamp(LocalDateTime newTimestamp) {
        return new TrafficRecord(nodeAId, nodeBId, newTimestamp, distanceKm, durationSec, speedKmh, apiType);
    }
}
