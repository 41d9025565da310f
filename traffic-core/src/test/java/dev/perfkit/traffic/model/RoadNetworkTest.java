package dev.perfkit.traffic.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoadNetworkTest {

    @Test
    void hcmc_hasBundledNodesAndEdges() {
        RoadNetwork network = RoadNetwork.hcmc();

        assertThat(network.nodeCount()).isEqualTo(64);
        assertThat(network.edgeCount()).isEqualTo(144);
        Edge first = network.edge(0);
        assertThat(first.id()).isEqualTo("node-10.737984-106.721606-node-10.737481-106.730410");
        assertThat(first.lengthKm()).isBetween(0.963, 0.964);
        assertThat(network.edgeIndex(first.startNodeId(), first.endNodeId())).isZero();
        assertThat(network.node("node-10.737984-106.721606").name()).isEqualTo("Nguyễn Văn Linh - Nguyễn Thị Thập");
        assertThat(RoadNetwork.hcmc()).isSameAs(network);
    }

    @Test
    void edgeIndex_unknownPairOrNull_isMinusOne() {
        RoadNetwork network = RoadNetwork.hcmc();
        Edge first = network.edge(0);

        assertThat(network.edgeIndex(first.endNodeId(), first.startNodeId())).isEqualTo(-1);
        assertThat(network.edgeIndex(null, first.endNodeId())).isEqualTo(-1);
    }

    @Test
    void of_edgeToUnknownNode_rejected() {
        List<Node> nodes = List.of(new Node("a", 10, 106, "A"));
        List<Edge> edges = List.of(new Edge(0, "a-b", "a", "b", 1, "", ""));

        assertThatThrownBy(() -> RoadNetwork.of(nodes, edges))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown node 'b'");
    }

    @Test
    void node_badCoordinate_rejectedNamingField() {
        assertThatThrownBy(() -> new Node("x", 10, 181, ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lon").hasMessageContaining("181");
    }

    @Test
    void columns_unknownPairsGetTheirOwnIndexesAfterTheNetwork() {
        RoadNetwork network = RoadNetwork.hcmc();
        Edge e5 = network.edge(5);
        LocalDateTime t = LocalDateTime.of(2025, 10, 30, 7, 0);
        List<TrafficRecord> records = List.of(
                new TrafficRecord(e5.startNodeId(), e5.endNodeId(), t, 1, 100, 36, "real"),
                new TrafficRecord("p", "q", t, 1, 100, 36, "real"),
                new TrafficRecord("p", "q", t.plusMinutes(5), 1, 120, 30, "real"),
                new TrafficRecord("q", "p", t, 1, 100, 36, "real"));

        TrafficColumns columns = TrafficColumns.of(records, network);

        assertThat(columns.size()).isEqualTo(4);
        assertThat(columns.edgeIndex(0)).isEqualTo(5);
        assertThat(columns.edgeIndex(1)).isEqualTo(144);
        assertThat(columns.edgeIndex(2)).isEqualTo(144);
        assertThat(columns.edgeIndex(3)).isEqualTo(145);
        assertThat(columns.edgeCount()).isEqualTo(146);
        assertThat(columns.edgeStartNodeId(145)).isEqualTo("q");
        assertThat(columns.epochSecond(2) - columns.epochSecond(1)).isEqualTo(300);
        assertThat(columns.speedKmh(2)).isEqualTo(30);
    }

    @Test
    void columns_recordWithoutTimestamp_rejectedNamingRow() {
        List<TrafficRecord> records = List.of(new TrafficRecord("a", "b", null, 1, 1, 1, "real"));

        assertThatThrownBy(() -> TrafficColumns.of(records, RoadNetwork.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 0")
                .hasMessageContaining("timestamp");
    }
}
