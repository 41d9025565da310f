package dev.perfkit.traffic.geo;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Haversine kernel against a 40-digit evaluation of the same spherical formula from the exact (binary) inputs,
 * in {@link BigDecimal}: the bounds stated in {@link Geo#haversineKernelKm}'s javadoc, on random pairs at city scale
 * (the series path), anywhere on the globe, near the poles and near antipodes, and on edge cases.
 */
class GeoAccuracyTest {

    private static final MathContext MC = new MathContext(40);
    private static final BigDecimal PI =
            new BigDecimal("3.141592653589793238462643383279502884197169399375105820974944592");
    private static final BigDecimal DEG_TO_RAD = PI.divide(BigDecimal.valueOf(180), MC);
    private static final BigDecimal HALF = new BigDecimal("0.5");
    private static final BigDecimal NEGLIGIBLE = new BigDecimal("1e-45");

    private static final double SERIES_BOUND = 1e-15;
    private static final double LIBRARY_BOUND = 1e-13;
    private static final double NEAR_ANTIPODAL_BOUND = 1e-8;

    @Test
    void cityScalePairs_withinTheSeriesBound() {
        SplittableRandom random = new SplittableRandom(1);
        double worst = 0;
        for (int i = 0; i < 1_500; i++) {
            double span = i % 3 == 0 ? 1e-5 : i % 3 == 1 ? 0.2 : 1.1;
            double lat1 = random.nextDouble(-90, 90);
            double lon1 = random.nextDouble(-180, 180);
            double lat2 = clamp(lat1 + random.nextDouble(-span, span), 90);
            double lon2 = wrap(lon1 + random.nextDouble(-span, span));
            worst = Math.max(worst, relativeError(lat1, lon1, lat2, lon2));
        }
        assertThat(worst).isLessThanOrEqualTo(SERIES_BOUND);
    }

    @Test
    void pairsNearThePoles_withinTheSeriesBound() {
        SplittableRandom random = new SplittableRandom(2);
        double worst = 0;
        for (int i = 0; i < 500; i++) {
            double sign = i % 2 == 0 ? 1 : -1;
            double lat1 = sign * (90 - random.nextDouble(0, 0.5));
            double lat2 = sign * (90 - random.nextDouble(0, 0.5));
            double lon1 = random.nextDouble(-180, 180);
            double lon2 = wrap(lon1 + random.nextDouble(-1.1, 1.1));
            worst = Math.max(worst, relativeError(lat1, lon1, lat2, lon2));
        }
        assertThat(worst).isLessThanOrEqualTo(SERIES_BOUND);
    }

    @Test
    void pairsAnywhere_withinTheLibraryBound() {
        SplittableRandom random = new SplittableRandom(3);
        double worst = 0;
        for (int i = 0; i < 1_000; i++) {
            double lat1 = random.nextDouble(-90, 90);
            double lon1 = random.nextDouble(-180, 180);
            double lat2 = random.nextDouble(-90, 90);
            double lon2 = random.nextDouble(-180, 180);
            if (referenceKm(lat1, lon1, -lat2, wrap(lon2 + 180)) < 1.2) { // within 0.01 degree of antipodal
                continue;
            }
            worst = Math.max(worst, relativeError(lat1, lon1, lat2, lon2));
        }
        assertThat(worst).isLessThanOrEqualTo(LIBRARY_BOUND);
    }

    @Test
    void nearlyAntipodalPairs_withinTheirBound() {
        SplittableRandom random = new SplittableRandom(4);
        double worst = 0;
        for (int i = 0; i < 500; i++) {
            double lat1 = random.nextDouble(-90, 90);
            double lon1 = random.nextDouble(-180, 180);
            double lat2 = clamp(-lat1 + random.nextDouble(-0.01, 0.01), 90);
            double lon2 = wrap(lon1 + 180 + random.nextDouble(-0.01, 0.01));
            worst = Math.max(worst, relativeError(lat1, lon1, lat2, lon2));
        }
        assertThat(worst).isLessThanOrEqualTo(NEAR_ANTIPODAL_BOUND);
    }

    @Test
    void edgeCases() {
        double[][] pairs = {
            {0, 0, 0, 180}, {90, 0, -90, 0}, {90, 0, 0, 77}, {-90, 0, -89.999, 100}, {89.9999, 0, 89.9999, 1},
            {0, 179.999, 0, -179.999}, {10, 106, 10, 106.00000001}, {45, 0, 45.0000001, 0},
            {10.762622, 106.660172, 10.772622, 106.670172}, {-0.0001, 20, 0.0001, 20.0001}, {0, 0, 1.14, 1.14},
        };
        for (double[] p : pairs) {
            assertThat(relativeError(p[0], p[1], p[2], p[3])).as("pair %s, %s -> %s, %s", p[0], p[1], p[2], p[3])
                    .isLessThanOrEqualTo(LIBRARY_BOUND);
        }
        assertThat(Geo.haversineKm(10.762622, 106.660172, 10.762622, 106.660172)).isZero();
        assertThat(Geo.haversineKm(0, -180, 0, 180)).isZero(); // the same point
        assertThat(Geo.haversineKm(90, 0, 90, 123.4)).isLessThan(1e-9); // longitude is irrelevant at a pole
    }

    @Test
    void swappingThePoints_givesTheSameBits() {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 10_000; i++) {
            double span = i % 2 == 0 ? 0.5 : 180;
            double lat1 = random.nextDouble(-90, 90);
            double lon1 = random.nextDouble(-180, 180);
            double lat2 = clamp(lat1 + random.nextDouble(-span, span), 90);
            double lon2 = wrap(lon1 + random.nextDouble(-span, span));
            assertThat(Geo.haversineKernelKm(lat2, lon2, lat1, lon1))
                    .isEqualTo(Geo.haversineKernelKm(lat1, lon1, lat2, lon2));
        }
    }

    private static double relativeError(double lat1, double lon1, double lat2, double lon2) {
        double reference = referenceKm(lat1, lon1, lat2, lon2);
        return Math.abs(Geo.haversineKm(lat1, lon1, lat2, lon2) - reference) / reference;
    }

    private static double clamp(double value, double bound) {
        return Math.max(-bound, Math.min(bound, value));
    }

    private static double wrap(double lonDeg) {
        return lonDeg > 180 ? lonDeg - 360 : lonDeg < -180 ? lonDeg + 360 : lonDeg;
    }

    /** 2R asin(sqrt(a)) with a = sin^2(dPhi/2) + cos(phi1) cos(phi2) sin^2(dLambda/2), to 40 digits. */
    static double referenceKm(double lat1, double lon1, double lat2, double lon2) {
        BigDecimal phi1 = new BigDecimal(lat1).multiply(DEG_TO_RAD, MC);
        BigDecimal phi2 = new BigDecimal(lat2).multiply(DEG_TO_RAD, MC);
        BigDecimal dLambda = new BigDecimal(lon2).subtract(new BigDecimal(lon1)).multiply(DEG_TO_RAD, MC);
        BigDecimal s1 = sin(phi2.subtract(phi1).multiply(HALF));
        BigDecimal s2 = sin(dLambda.multiply(HALF));
        BigDecimal a = s1.multiply(s1, MC).add(cos(phi1).multiply(cos(phi2), MC).multiply(s2.multiply(s2, MC), MC), MC);
        if (a.signum() <= 0) {
            return 0;
        }
        BigDecimal rest = BigDecimal.ONE.subtract(a, MC);
        BigDecimal halfAngle = rest.signum() <= 0 ? PI.multiply(HALF) : atan(a.sqrt(MC).divide(rest.sqrt(MC), MC));
        return halfAngle.multiply(BigDecimal.valueOf(2 * Geo.EARTH_RADIUS_KM), MC).doubleValue();
    }

    private static BigDecimal sin(BigDecimal x) {
        BigDecimal x2 = x.multiply(x, MC);
        BigDecimal term = x;
        BigDecimal sum = x;
        for (long k = 1; term.abs().compareTo(NEGLIGIBLE) > 0; k++) {
            term = term.multiply(x2, MC).divide(BigDecimal.valueOf(2 * k * (2 * k + 1)), MC).negate();
            sum = sum.add(term, MC);
        }
        return sum;
    }

    private static BigDecimal cos(BigDecimal x) {
        BigDecimal x2 = x.multiply(x, MC);
        BigDecimal term = BigDecimal.ONE;
        BigDecimal sum = BigDecimal.ONE;
        for (long k = 1; term.abs().compareTo(NEGLIGIBLE) > 0; k++) {
            term = term.multiply(x2, MC).divide(BigDecimal.valueOf((2 * k - 1) * (2 * k)), MC).negate();
            sum = sum.add(term, MC);
        }
        return sum;
    }

    /** atan(z) for z >= 0: halve the angle until z <= 0.1 (atan z = 2 atan(z / (1 + sqrt(1 + z^2)))), then the series. */
    private static BigDecimal atan(BigDecimal z) {
        int halvings = 0;
        while (z.compareTo(new BigDecimal("0.1")) > 0) {
            z = z.divide(BigDecimal.ONE.add(BigDecimal.ONE.add(z.multiply(z, MC)).sqrt(MC)), MC);
            halvings++;
        }
        BigDecimal z2 = z.multiply(z, MC);
        BigDecimal power = z;
        BigDecimal sum = z;
        for (long k = 1; ; k++) {
            power = power.multiply(z2, MC).negate();
            BigDecimal term = power.divide(BigDecimal.valueOf(2 * k + 1), MC);
            sum = sum.add(term, MC);
            if (term.abs().compareTo(NEGLIGIBLE) <= 0) {
                break;
            }
        }
        return sum.multiply(BigDecimal.valueOf(1L << halvings));
    }
}
