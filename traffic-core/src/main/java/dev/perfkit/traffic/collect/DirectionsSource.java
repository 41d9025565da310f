package dev.perfkit.traffic.collect;

import dev.perfkit.traffic.model.RoadNetwork;
import dev.perfkit.traffic.model.TrafficRun;

/**
 * Where travel times come from: each {@link #collect()} returns one run over the edges of {@link #network()}.
 * Implementations: {@link ReplaySource} (the bundled real runs, no network needed; the default),
 * {@link SimulatedSource} (synthetic, any size) and {@link dev.perfkit.traffic.collect.http.HttpDirectionsClient} (a real directions API).
 */
public interface DirectionsSource extends AutoCloseable {

    /** Short name for reports: {@code replay}, {@code simulated}, {@code http}. */
    String name();

    /** The edges this source collects. */
    RoadNetwork network();

    /**
     * Collects one run.
     *
     * @throws CollectionException when nothing could be collected
     */
    TrafficRun collect();

    /** Releases threads or connections; the default does nothing. */
    @Override
    default void close() {
    }
}
