package dev.perfkit.traffic.collect.http;

/**
 * One answer of a directions API.
 *
 * @param distanceKm  route distance in km
 * @param durationSec travel time in seconds (in traffic when the API provides it)
 */
public record DirectionsLeg(double distanceKm, double durationSec) {

    /** Mean speed in km/h; NaN for a zero duration (it cannot be derived). */
    public double speedKmh() {
        return durationSec > 0 ? distanceKm / (durationSec / 3600.0) : Double.NaN;
    }
}
