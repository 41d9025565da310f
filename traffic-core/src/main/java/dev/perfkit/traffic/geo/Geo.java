package dev.perfkit.traffic.geo;

import dev.perfkit.annotation.Timed;
import dev.perfkit.traffic.metrics.TrafficMetrics;

/**
 * Great-circle geometry on a spherical Earth of radius {@value #EARTH_RADIUS_KM} km. Stateless and thread-safe.
 *
 * <p>Coordinates are degrees: latitude in [-90, 90], longitude in [-180, 180]. A non-finite or out-of-range
 * coordinate fails with an {@link IllegalArgumentException} naming the argument and its value.
 */
public final class Geo {

    /** Mean Earth radius in kilometres. */
    public static final double EARTH_RADIUS_KM = 6371.0;

    private Geo() {
    }

    /**
     * Haversine distance in kilometres between two points.
     *
     * @throws IllegalArgumentException when a coordinate is non-finite or out of range
     */
    // Sampled: the formula takes tens of nanoseconds, as much as the two clock reads of an unsampled timer.
    @Timed(value = TrafficMetrics.GEO_HAVERSINE, target = "1ms", sampleOneIn = 64)
    public static double haversineKm(double lat1, double lon1, double lat2, double lon2) {
        requireLatitude("lat1", lat1);
        requireLongitude("lon1", lon1);
        requireLatitude("lat2", lat2);
        requireLongitude("lon2", lon2);
        return haversineKernelKm(lat1, lon1, lat2, lon2);
    }

    /**
     * Initial bearing (forward azimuth) from the first point to the second, in degrees clockwise from north,
     * [0, 360). Identical points give 0.
     *
     * @throws IllegalArgumentException when a coordinate is non-finite or out of range
     */
    public static double bearingDeg(double lat1, double lon1, double lat2, double lon2) {
        requireLatitude("lat1", lat1);
        requireLongitude("lon1", lon1);
        requireLatitude("lat2", lat2);
        requireLongitude("lon2", lon2);
        double phi1 = Math.toRadians(lat1);
        double phi2 = Math.toRadians(lat2);
        double deltaLambda = Math.toRadians(lon2 - lon1);
        double y = Math.sin(deltaLambda) * Math.cos(phi2);
        double x = Math.cos(phi1) * Math.sin(phi2) - Math.sin(phi1) * Math.cos(phi2) * Math.cos(deltaLambda);
        double degrees = Math.toDegrees(Math.atan2(y, x));
        double normalised = (degrees + 360.0) % 360.0;
        return normalised == 360.0 ? 0.0 : normalised;
    }

    /**
     * Checks a latitude.
     *
     * @param argument the name to report, e.g. {@code "lat1"}
     * @return the latitude
     * @throws IllegalArgumentException when it is non-finite or outside [-90, 90]
     */
    public static double requireLatitude(String argument, double latitudeDeg) {
        if (!(latitudeDeg >= -90.0 && latitudeDeg <= 90.0)) {
            throw new IllegalArgumentException(argument + " must be a finite latitude in [-90, 90] degrees, got "
                    + latitudeDeg);
        }
        return latitudeDeg;
    }

    /**
     * Checks a longitude.
     *
     * @param argument the name to report, e.g. {@code "lon1"}
     * @return the longitude
     * @throws IllegalArgumentException when it is non-finite or outside [-180, 180]
     */
    public static double requireLongitude(String argument, double longitudeDeg) {
        if (!(longitudeDeg >= -180.0 && longitudeDeg <= 180.0)) {
            throw new IllegalArgumentException(argument + " must be a finite longitude in [-180, 180] degrees, got "
                    + longitudeDeg);
        }
        return longitudeDeg;
    }

    /**
     * The unchecked, un-instrumented Haversine kernel for loops over already-validated coordinates (neighbour
     * searches), so a search does not record one timer call per pair.
     */
    static double haversineKernelKm(double lat1, double lon1, double lat2, double lon2) {
        double phi1 = Math.toRadians(lat1);
        double phi2 = Math.toRadians(lat2);
        double sinHalfDeltaPhi = Math.sin((phi2 - phi1) * 0.5);
        double sinHalfDeltaLambda = Math.sin(Math.toRadians(lon2 - lon1) * 0.5);
        double a = sinHalfDeltaPhi * sinHalfDeltaPhi
                + Math.cos(phi1) * Math.cos(phi2) * sinHalfDeltaLambda * sinHalfDeltaLambda;
        // Clamp: rounding can push a just above 1 for antipodal points, and sqrt(1 - a) would be NaN.
        a = Math.min(1.0, Math.max(0.0, a));
        return 2.0 * EARTH_RADIUS_KM * Math.atan2(Math.sqrt(a), Math.sqrt(1.0 - a));
    }
}
