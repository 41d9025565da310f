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
     *
     * <p>Formulation: {@code a = sin^2(dPhi/2) + cos(phi1) cos(phi2) sin^2(dLambda/2)} and the central angle
     * {@code 2 asin(sqrt(a))}, with the differences taken in degrees (exact for nearby points, so no cancellation in
     * radians) and the longitude difference brought into [-180, 180] (the same {@code a}, without losing precision
     * across the antimeridian). Two paths:
     * <ul>
     *   <li>Both half-differences at most {@value #SMALL_HALF_ANGLE_RAD} rad (|dLat| and |dLon| up to about 1.15
     *       degrees, about 127 km north-south: every pair within a city): {@code sin} of the half-differences and
     *       {@code asin} by their Taylor series (to x^7 and x^9, the first omitted term below 1e-20 relative at these
     *       arguments), and one library {@code sin} for {@code cos(phi1) cos(phi2) = cos^2(phi_m) - sin^2(dPhi/2)},
     *       where {@code cos(phi_m)} is the sine of the mean colatitude, computed in degrees (accurate near
     *       the poles). One transcendental library call instead of five.</li>
     *   <li>Otherwise the library calls: {@code sin} of each half-difference, {@code cos(phi)} of each point (as the
     *       sine of its colatitude) and {@code 2 atan2(sqrt(a), sqrt(1 - a))}.</li>
     * </ul>
     * Accuracy against a 50-digit reference of the same spherical formula from the exact inputs ({@code GeoAccuracyTest}): at most
     * 1e-15 relative error on the first path (measured 4.6e-16, about 2 ulp); at most 1e-13 relative on the second
     * except within about 0.01 degree of antipodal, where the Haversine form itself is ill-conditioned (sqrt(1 - a))
     * and the relative error grows to at most 1e-8 (0.2 m on 20,000 km). Identical points give exactly 0; swapping the points gives the same bits.
     */
    static double haversineKernelKm(double lat1, double lon1, double lat2, double lon2) {
        double dLatDeg = lat2 - lat1;
        double dLonDeg = lon2 - lon1;
        // Across the antimeridian, from each point's distance to it: lon -+ 180 is exact from 90 degrees on
        // (Sterbenz), where lon2 - lon1 - 360 would carry the rounding of lon2 - lon1 (an ulp of 360).
        if (dLonDeg > 180.0) {
            dLonDeg = (lon2 - 180.0) - (lon1 + 180.0);
        } else if (dLonDeg < -180.0) {
            dLonDeg = (lon2 + 180.0) - (lon1 - 180.0);
        }
        double halfDPhi = Math.toRadians(dLatDeg) * 0.5;
        double halfDLambda = Math.toRadians(dLonDeg) * 0.5;
        if (Math.abs(halfDPhi) <= SMALL_HALF_ANGLE_RAD && Math.abs(halfDLambda) <= SMALL_HALF_ANGLE_RAD) {
            double s1 = sinSmall(halfDPhi);
            double s2 = sinSmall(halfDLambda);
            // The colatitude of the mean latitude from the nearer pole: 90 - |lat| is exact from 45 degrees on
            // (Sterbenz), so it is accurate near the poles; symmetric in the two points. Past 90 when the points
            // straddle the equator, where sin(90 + x) = cos(x) still holds.
            double colatDeg = lat1 + lat2 >= 0
                    ? ((90.0 - lat1) + (90.0 - lat2)) * 0.5
                    : ((90.0 + lat1) + (90.0 + lat2)) * 0.5;
            double cosMean = Math.sin(Math.toRadians(colatDeg));
            double s1s1 = s1 * s1;
            double a = s1s1 + (cosMean * cosMean - s1s1) * (s2 * s2);
            return 2.0 * EARTH_RADIUS_KM * asinSmall(Math.sqrt(a), a);
        }
        double s1 = Math.sin(halfDPhi);
        double s2 = Math.sin(halfDLambda);
        double a = s1 * s1 + cosLatitude(lat1) * cosLatitude(lat2) * s2 * s2;
        // Clamp: rounding can push a just above 1 for antipodal points, and sqrt(1 - a) would be NaN.
        a = Math.min(1.0, Math.max(0.0, a));
        return 2.0 * EARTH_RADIUS_KM * Math.atan2(Math.sqrt(a), Math.sqrt(1.0 - a));
    }

    /** The bound of the half-differences (radians) below which {@link #haversineKernelKm} uses its series. */
    static final double SMALL_HALF_ANGLE_RAD = 0.01;

    /** sin(x) for |x| <= 0.01: Taylor to x^7; the next term, x^9/9!, is below 3e-22 relative. */
    private static double sinSmall(double x) {
        double x2 = x * x;
        return x + x * x2 * (-1.0 / 6.0 + x2 * (1.0 / 120.0 + x2 * (-1.0 / 5040.0)));
    }

    /**
     * asin(x) for 0 <= x <= 0.0142 (x^2 = {@code xx} <= 2e-4): Taylor to x^9; the next term, 63 x^11 / 2816, is below
     * 1e-20 relative.
     */
    private static double asinSmall(double x, double xx) {
        return x + x * xx * (1.0 / 6.0 + xx * (3.0 / 40.0 + xx * (5.0 / 112.0 + xx * (35.0 / 1152.0))));
    }

    /** cos(latitude) as the sine of the colatitude: 90 - |lat| is exact from 45 degrees on, so accurate at the poles. */
    private static double cosLatitude(double latDeg) {
        return Math.sin(Math.toRadians(90.0 - Math.abs(latDeg)));
    }
}
