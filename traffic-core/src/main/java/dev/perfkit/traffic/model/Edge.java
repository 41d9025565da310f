package dev.perfkit.traffic.model;

import java.util.Objects;

/**
 * A directed road segment between two intersections.
 *
 * @param index       position of the edge in its {@link RoadNetwork}, used to index primitive arrays (0-based)
 * @param id          stable identifier, e.g. {@code <start node id>-<end node id>}
 * @param startNodeId the node the segment starts at (the {@code node_a_id} of traffic records)
 * @param endNodeId   the node the segment ends at (the {@code node_b_id} of traffic records)
 * @param lengthKm    straight-line length in kilometres (finite, >= 0); route distances are in the records
 * @param roadType    OpenStreetMap road class, e.g. {@code primary} (may be empty)
 * @param roadName    street name (may be empty)
 */
public record Edge(int index, String id, String startNodeId, String endNodeId, double lengthKm, String roadType,
                   String roadName) {

    public Edge {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(startNodeId, "startNodeId");
        Objects.requireNonNull(endNodeId, "endNodeId");
        if (!Double.isFinite(lengthKm) || lengthKm < 0) {
            throw new IllegalArgumentException("lengthKm must be finite and >= 0, got " + lengthKm);
        }
        roadType = roadType == null ? "" : roadType;
        roadName = roadName == null ? "" : roadName;
    }
}
