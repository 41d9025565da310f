package dev.perfkit.traffic.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Intersections and the directed segments between them. Immutable and thread-safe.
 *
 * <p>Edges are numbered 0..{@link #edgeCount()}-1 in the order given; that index addresses every per-edge primitive
 * array in this module (features, forecasts).
 *
 * <p>{@link #hcmc()} is the bundled Ho Chi Minh City network (64 nodes, 144 edges).
 */
public final class RoadNetwork {

    static final String BUNDLED_DIR = "/dev/perfkit/traffic/data/hcmc/";

    private final List<Node> nodes;
    private final List<Edge> edges;
    private final Map<String, Node> nodesById;
    private final Map<String, Map<String, Integer>> edgeIndexByNodes;

    private RoadNetwork(List<Node> nodes, List<Edge> edges) {
        this.nodes = List.copyOf(nodes);
        this.edges = List.copyOf(edges);
        Map<String, Node> byId = new HashMap<>();
        for (Node node : this.nodes) {
            if (byId.put(node.id(), node) != null) {
                throw new IllegalArgumentException("duplicate node id '" + node.id() + "'");
            }
        }
        Map<String, Map<String, Integer>> byNodes = new HashMap<>();
        for (int i = 0; i < this.edges.size(); i++) {
            Edge edge = this.edges.get(i);
            if (edge.index() != i) {
                throw new IllegalArgumentException("edge '" + edge.id() + "' has index " + edge.index()
                        + " but is at position " + i);
            }
            for (String nodeId : new String[] {edge.startNodeId(), edge.endNodeId()}) {
                if (!byId.containsKey(nodeId)) {
                    throw new IllegalArgumentException("edge '" + edge.id() + "' refers to unknown node '" + nodeId + "'");
                }
            }
            Integer previous = byNodes.computeIfAbsent(edge.startNodeId(), k -> new HashMap<>())
                    .put(edge.endNodeId(), i);
            if (previous != null) {
                throw new IllegalArgumentException("duplicate edge " + edge.startNodeId() + " -> " + edge.endNodeId());
            }
        }
        this.nodesById = Collections.unmodifiableMap(byId);
        this.edgeIndexByNodes = byNodes;
    }

    /**
     * A network of the given nodes and edges. Each edge's {@link Edge#index()} must equal its position in the list.
     *
     * @throws IllegalArgumentException on duplicate nodes or edges, an edge referring to an unknown node, or an edge
     *                                  whose index does not match its position
     */
    public static RoadNetwork of(List<Node> nodes, List<Edge> edges) {
        return new RoadNetwork(nodes, edges);
    }

    /** A network without nodes or edges: every record then refers to an edge outside the network. */
    public static RoadNetwork empty() {
        return Empty.INSTANCE;
    }

    /** The bundled Ho Chi Minh City network: 64 intersections, 144 directed segments. Loaded once, then shared. */
    public static RoadNetwork hcmc() {
        return Hcmc.INSTANCE;
    }

    public List<Node> nodes() {
        return nodes;
    }

    public List<Edge> edges() {
        return edges;
    }

    public int nodeCount() {
        return nodes.size();
    }

    public int edgeCount() {
        return edges.size();
    }

    /** The edge at {@code index}; throws {@link IndexOutOfBoundsException} outside 0..edgeCount()-1. */
    public Edge edge(int index) {
        return edges.get(index);
    }

    /** The node with this id, or null. */
    public Node node(String nodeId) {
        return nodesById.get(nodeId);
    }

    /** Index of the edge from {@code startNodeId} to {@code endNodeId}, or -1 when the network has no such edge. */
    public int edgeIndex(String startNodeId, String endNodeId) {
        if (startNodeId == null || endNodeId == null) {
            return -1;
        }
        Map<String, Integer> ends = edgeIndexByNodes.get(startNodeId);
        Integer index = ends == null ? null : ends.get(endNodeId);
        return index == null ? -1 : index;
    }

    @Override
    public String toString() {
        return "RoadNetwork[nodes=" + nodes.size() + ", edges=" + edges.size() + "]";
    }

    private static final class Empty {
        static final RoadNetwork INSTANCE = new RoadNetwork(List.of(), List.of());
    }

    private static final class Hcmc {
        static final RoadNetwork INSTANCE = loadBundled();
    }

    static RoadNetwork loadBundled() {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode nodesJson = readResource(mapper, BUNDLED_DIR + "nodes.json");
        JsonNode edgesJson = readResource(mapper, BUNDLED_DIR + "edges.json");
        List<Node> nodes = new ArrayList<>();
        for (JsonNode n : nodesJson) {
            nodes.add(new Node(text(n, "node_id"), number(n, "lat"), number(n, "lon"),
                    n.path("intersection_name").asText("")));
        }
        List<Edge> edges = new ArrayList<>();
        for (JsonNode e : edgesJson) {
            edges.add(new Edge(edges.size(), text(e, "edge_id"), text(e, "start_node_id"), text(e, "end_node_id"),
                    number(e, "distance_m") / 1000.0, e.path("road_type").asText(""), e.path("road_name").asText("")));
        }
        return new RoadNetwork(nodes, edges);
    }

    private static JsonNode readResource(ObjectMapper mapper, String resource) {
        try (InputStream in = RoadNetwork.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("bundled resource missing from the classpath: " + resource);
            }
            return mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled resource " + resource, e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalStateException("bundled network: field '" + field + "' missing or not text in " + node);
        }
        return value.asText();
    }

    private static double number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isNumber()) {
            throw new IllegalStateException("bundled network: field '" + field + "' missing or not a number in " + node);
        }
        return value.asDouble();
    }
}
