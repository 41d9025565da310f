package dev.perfkit.traffic.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GeoTest {

    private static final double HALF_CIRCUMFERENCE_KM = Math.PI * Geo.EARTH_RADIUS_KM;

    @Test
    void haversine_hcmcReferencePair_is1point5588Km() {
        double km = Geo.haversineKm(10.762622, 106.660172, 10.772622, 106.670172);

        assertThat(Math.round(km * 10_000) / 10_000.0).isEqualTo(1.5588);
    }

    @Test
    void haversine_identicalPoints_isZero() {
        assertThat(Geo.haversineKm(10.762622, 106.660172, 10.762622, 106.660172)).isZero();
        assertThat(Geo.haversineKm(-33.9, 151.2, -33.9, 151.2)).isZero();
    }

    @Test
    void haversine_isSymmetric() {
        double there = Geo.haversineKm(10.76, 106.66, 21.03, 105.85);
        double back = Geo.haversineKm(21.03, 105.85, 10.76, 106.66);

        assertThat(there).isEqualTo(back);
    }

    @Test
    void haversine_antipodalPoints_isHalfTheCircumference() {
        assertThat(Geo.haversineKm(0, 0, 0, 180)).isCloseTo(HALF_CIRCUMFERENCE_KM, within(1e-6));
        // Near the antipode the haversine form loses precision (a is close to 1): still well under a metre.
        assertThat(Geo.haversineKm(10.762622, 106.660172, -10.762622, -73.339828))
                .isCloseTo(HALF_CIRCUMFERENCE_KM, within(1e-3));
    }

    @Test
    void haversine_poles_poleToPoleIsHalfCircumferenceAndLongitudeAtAPoleIsIrrelevant() {
        assertThat(Geo.haversineKm(90, 0, -90, 0)).isCloseTo(HALF_CIRCUMFERENCE_KM, within(1e-6));
        assertThat(Geo.haversineKm(90, 0, 90, 123.4)).isCloseTo(0, within(1e-9));
        assertThat(Geo.haversineKm(90, 0, 0, 77)).isCloseTo(HALF_CIRCUMFERENCE_KM / 2, within(1e-6));
    }

    @Test
    void haversine_nonFiniteCoordinate_rejectedNamingArgumentAndValue() {
        assertThatThrownBy(() -> Geo.haversineKm(Double.NaN, 106.66, 10.77, 106.67))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lat1").hasMessageContaining("NaN");
        assertThatThrownBy(() -> Geo.haversineKm(10.76, 106.66, 10.77, Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lon2").hasMessageContaining("Infinity");
    }

    @Test
    void haversine_outOfRangeCoordinate_rejectedNamingArgumentValueAndRange() {
        assertThatThrownBy(() -> Geo.haversineKm(10.76, 106.66, 90.5, 106.67))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lat2").hasMessageContaining("90.5").hasMessageContaining("[-90, 90]");
        assertThatThrownBy(() -> Geo.haversineKm(10.76, -180.01, 10.77, 106.67))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lon1").hasMessageContaining("-180.01").hasMessageContaining("[-180, 180]");
    }

    @Test
    void bearing_cardinalDirections() {
        assertThat(Geo.bearingDeg(10, 106, 11, 106)).isCloseTo(0, within(1e-9));
        assertThat(Geo.bearingDeg(0, 106, 0, 107)).isCloseTo(90, within(1e-9));
        assertThat(Geo.bearingDeg(11, 106, 10, 106)).isCloseTo(180, within(1e-9));
        assertThat(Geo.bearingDeg(0, 107, 0, 106)).isCloseTo(270, within(1e-9));
        assertThat(Geo.bearingDeg(10, 106, 10, 106)).isZero();
    }

    @Test
    void bearing_badInput_rejected() {
        assertThatThrownBy(() -> Geo.bearingDeg(10, 200, 11, 106))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lon1");
    }
}
