package dev.perfkit.traffic.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NeighbourSearchTest {

    // Four points on a line of latitude 10 deg, 0.005 deg apart (about 0.547 km), and one far away.
    private static final double[] LATS = {10.0, 10.0, 10.0, 10.0, 11.0};
    private static final double[] LONS = {106.000, 106.005, 106.010, 106.015, 106.0};

    @Test
    void withinRadius_returnsNearestFirstExcludingSelf() {
        int[][] neighbours = NeighbourSearch.withinRadius(LATS, LONS, 1.2, 10);

        assertThat(neighbours[0]).containsExactly(1, 2);
        assertThat(neighbours[1]).containsExactly(0, 2, 3);
        assertThat(neighbours[4]).isEmpty();
    }

    @Test
    void withinRadius_kBoundsTheList_tiesByLowerIndex() {
        int[][] neighbours = NeighbourSearch.withinRadius(LATS, LONS, 5.0, 2);

        assertThat(neighbours[1]).containsExactly(0, 2);
        assertThat(neighbours[3]).containsExactly(2, 1);
        for (int[] list : neighbours) {
            assertThat(list.length).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void withinRadius_matchesHaversine() {
        int[][] neighbours = NeighbourSearch.withinRadius(LATS, LONS, 200, 10);

        assertThat(neighbours[0]).hasSize(4);
        for (int j : neighbours[0]) {
            assertThat(Geo.haversineKm(LATS[0], LONS[0], LATS[j], LONS[j])).isLessThanOrEqualTo(200);
        }
    }

    @Test
    void withinRadius_badInput_rejected() {
        assertThatThrownBy(() -> NeighbourSearch.withinRadius(new double[] {10, 95}, new double[] {106, 106}, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("latsDeg[1]")
                .hasMessageContaining("95.0");
        assertThatThrownBy(() -> NeighbourSearch.withinRadius(LATS, LONS, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("radiusKm");
        assertThatThrownBy(() -> NeighbourSearch.withinRadius(LATS, LONS, 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxNeighbours");
        assertThatThrownBy(() -> NeighbourSearch.withinRadius(LATS, new double[1], 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same length");
    }
}
