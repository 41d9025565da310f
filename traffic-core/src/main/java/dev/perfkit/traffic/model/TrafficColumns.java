package dev.perfkit.traffic.model;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Traffic observations in columnar form: one primitive array per field, one slot per row, no boxing. This is the
 * input of feature engineering and forecasting. Immutable once built and therefore thread-safe.
 *
 * <p>Each row refers to an edge by index. Indexes 0..{@link #networkEdgeCount()}-1 are the edges of the
 * {@link RoadNetwork} the columns were built against; a record whose (node_a_id, node_b_id) is not in the network gets
 * a new index from {@link #networkEdgeCount()} upwards, so every distinct pair still has its own index
 * ({@link #edgeCount()} in total) and its node ids stay available through {@link #edgeStartNodeId(int)}.
 *
 * <p>Memory: 36 bytes per row (int edge index, long epoch second, three doubles) plus the edge-id table.
 */
public final class TrafficColumns {

    private final RoadNetwork network;
    private final int size;
    private final int[] edgeIndex;
    private final long[] epochSecond;
    private final double[] speedKmh;
    private final double[] distanceKm;
    private final double[] durationSec;
    private final String[] edgeStartNodeIds;
    private final String[] edgeEndNodeIds;

    private TrafficColumns(Builder builder) {
        this.network = builder.network;
        this.size = builder.size;
        this.edgeIndex = Arrays.copyOf(builder.edgeIndex, size);
        this.epochSecond = Arrays.copyOf(builder.epochSecond, size);
        this.speedKmh = Arrays.copyOf(builder.speedKmh, size);
        this.distanceKm = Arrays.copyOf(builder.distanceKm, size);
        this.durationSec = Arrays.copyOf(builder.durationSec, size);
        int edges = builder.network.edgeCount() + builder.extraStartNodeIds.length;
        this.edgeStartNodeIds = new String[edges];
        this.edgeEndNodeIds = new String[edges];
        for (int i = 0; i < builder.network.edgeCount(); i++) {
            edgeStartNodeIds[i] = builder.network.edge(i).startNodeId();
            edgeEndNodeIds[i] = builder.network.edge(i).endNodeId();
        }
        int extras = builder.extraCount;
        System.arraycopy(builder.extraStartNodeIds, 0, edgeStartNodeIds, builder.network.edgeCount(), extras);
        System.arraycopy(builder.extraEndNodeIds, 0, edgeEndNodeIds, builder.network.edgeCount(), extras);
    }

    /**
     * Columns of the given records, in the same order.
     *
     * @throws IllegalArgumentException when a record has no timestamp or no node id (validate first)
     */
    public static TrafficColumns of(List<TrafficRecord> records, RoadNetwork network) {
        Builder builder = builder(network, records.size());
        for (TrafficRecord record : records) {
            builder.add(record);
        }
        return builder.build();
    }

    /** A builder expecting about {@code expectedRows} rows (it grows as needed). Not thread-safe. */
    public static Builder builder(RoadNetwork network, int expectedRows) {
        return new Builder(network, expectedRows);
    }

    /** The network the edge indexes refer to. */
    public RoadNetwork network() {
        return network;
    }

    /** Number of rows. */
    public int size() {
        return size;
    }

    /** Edge index of a row (0-based; below {@link #networkEdgeCount()} for edges of the network). */
    public int edgeIndex(int row) {
        return edgeIndex[Objects.checkIndex(row, size)];
    }

    /** Observation time of a row in seconds since the epoch (UTC). */
    public long epochSecond(int row) {
        return epochSecond[Objects.checkIndex(row, size)];
    }

    /** Speed of a row in km/h (NaN when missing). */
    public double speedKmh(int row) {
        return speedKmh[Objects.checkIndex(row, size)];
    }

    /** Route distance of a row in km (NaN when missing). */
    public double distanceKm(int row) {
        return distanceKm[Objects.checkIndex(row, size)];
    }

    /** Travel time of a row in seconds (NaN when missing). */
    public double durationSec(int row) {
        return durationSec[Objects.checkIndex(row, size)];
    }

    /** Number of distinct edge indexes: the network's edges plus the pairs found only in the records. */
    public int edgeCount() {
        return edgeStartNodeIds.length;
    }

    /** Number of edges of the network; indexes at or above it are pairs the network does not know. */
    public int networkEdgeCount() {
        return network.edgeCount();
    }

    public String edgeStartNodeId(int edge) {
        return edgeStartNodeIds[edge];
    }

    public String edgeEndNodeId(int edge) {
        return edgeEndNodeIds[edge];
    }

    /** Copies of the primitive columns, for bulk consumers. */
    public int[] edgeIndexes() {
        return edgeIndex.clone();
    }

    public long[] epochSeconds() {
        return epochSecond.clone();
    }

    public double[] speedsKmh() {
        return speedKmh.clone();
    }

    /** Bytes held by the row arrays (excluding object headers and the edge-id table). */
    public long rowBytes() {
        return (long) size * (Integer.BYTES + Long.BYTES + 3L * Double.BYTES);
    }

    @Override
    public String toString() {
        return "TrafficColumns[rows=" + size + ", edges=" + edgeCount() + "]";
    }

    /** Appends rows; grows its arrays geometrically. Not thread-safe. */
    public static final class Builder {
        private final RoadNetwork network;
        private final Map<String, Map<String, Integer>> extraIndex = new HashMap<>();
        private String[] extraStartNodeIds = new String[0];
        private String[] extraEndNodeIds = new String[0];
        private int extraCount;
        private int size;
        private int[] edgeIndex;
        private long[] epochSecond;
        private double[] speedKmh;
        private double[] distanceKm;
        private double[] durationSec;

        private Builder(RoadNetwork network, int expectedRows) {
            this.network = Objects.requireNonNull(network, "network");
            int capacity = Math.max(16, expectedRows);
            edgeIndex = new int[capacity];
            epochSecond = new long[capacity];
            speedKmh = new double[capacity];
            distanceKm = new double[capacity];
            durationSec = new double[capacity];
        }

        /**
         * Appends a record, resolving its edge index against the network (or assigning a new index to an unknown
         * pair).
         *
         * @throws IllegalArgumentException when the record has no timestamp or no node id
         */
        public Builder add(TrafficRecord record) {
            if (record.timestamp() == null) {
                throw new IllegalArgumentException("row " + size + ": timestamp is missing");
            }
            int edge = edgeIndexOf(record.nodeAId(), record.nodeBId());
            return add(edge, record.epochSecond(), record.speedKmh(), record.distanceKm(), record.durationSec());
        }

        /**
         * Appends a row by edge index.
         *
         * @param edge        an index returned by {@link #edgeIndexOf} or below the network's edge count
         * @param epochSecond seconds since the epoch (UTC)
         * @throws IllegalArgumentException when {@code edge} is not a known index
         */
        public Builder add(int edge, long epochSecond, double speedKmh, double distanceKm, double durationSec) {
            if (edge < 0 || edge >= network.edgeCount() + extraCount) {
                throw new IllegalArgumentException("edge must be in [0, " + (network.edgeCount() + extraCount)
                        + "), got " + edge);
            }
            if (size == edgeIndex.length) {
                grow();
            }
            this.edgeIndex[size] = edge;
            this.epochSecond[size] = epochSecond;
            this.speedKmh[size] = speedKmh;
            this.distanceKm[size] = distanceKm;
            this.durationSec[size] = durationSec;
            size++;
            return this;
        }

        /**
         * The edge index of a (start, end) node pair: the network's index, or a new index for a pair the network
         * does not know.
         *
         * @throws IllegalArgumentException when a node id is null
         */
        public int edgeIndexOf(String startNodeId, String endNodeId) {
            if (startNodeId == null || endNodeId == null) {
                throw new IllegalArgumentException("row " + size + ": node_a_id and node_b_id are required, got "
                        + startNodeId + " -> " + endNodeId);
            }
            int index = network.edgeIndex(startNodeId, endNodeId);
            if (index >= 0) {
                return index;
            }
            Map<String, Integer> ends = extraIndex.computeIfAbsent(startNodeId, k -> new HashMap<>());
            Integer existing = ends.get(endNodeId);
            if (existing != null) {
                return existing;
            }
            if (extraCount == extraStartNodeIds.length) {
                int capacity = Math.max(8, extraCount * 2);
                extraStartNodeIds = Arrays.copyOf(extraStartNodeIds, capacity);
                extraEndNodeIds = Arrays.copyOf(extraEndNodeIds, capacity);
            }
            extraStartNodeIds[extraCount] = startNodeId;
            extraEndNodeIds[extraCount] = endNodeId;
            int assigned = network.edgeCount() + extraCount;
            extraCount++;
            ends.put(endNodeId, assigned);
            return assigned;
        }

        public int size() {
            return size;
        }

        public TrafficColumns build() {
            extraStartNodeIds = Arrays.copyOf(extraStartNodeIds, extraCount);
            extraEndNodeIds = Arrays.copyOf(extraEndNodeIds, extraCount);
            return new TrafficColumns(this);
        }

        private void grow() {
            int capacity = edgeIndex.length * 2;
            edgeIndex = Arrays.copyOf(edgeIndex, capacity);
            epochSecond = Arrays.copyOf(epochSecond, capacity);
            speedKmh = Arrays.copyOf(speedKmh, capacity);
            distanceKm = Arrays.copyOf(distanceKm, capacity);
            durationSec = Arrays.copyOf(durationSec, capacity);
        }
    }
}
