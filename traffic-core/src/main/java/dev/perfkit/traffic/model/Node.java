package dev.perfkit.traffic.model;

import dev.perfkit.traffic.geo.Geo;
import java.util.Objects;

/**
 * A road intersection.
 *
 * @param id   stable identifier, e.g. {@code node-10.737984-106.721606}; never null or blank
 * @param lat  latitude in degrees, [-90, 90]
 * @param lon  longitude in degrees, [-180, 180]
 * @param name human-readable name (may be empty, never null)
 * @throws IllegalArgumentException for a blank id or a non-finite or out-of-range coordinate
 */
public record Node(String id, double lat, double lon, String name) {

    public Node {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("id must not be blank");
        }
        Geo.requireLatitude("lat", lat);
        Geo.requireLongitude("lon", lon);
        name = name == null ? "" : name;
    }
}
