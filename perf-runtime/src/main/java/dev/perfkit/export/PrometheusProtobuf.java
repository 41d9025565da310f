package dev.perfkit.export;

import dev.perfkit.TimerSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The Prometheus protobuf exposition ({@code io.prometheus.client.MetricFamily}, length-delimited), the format that
 * carries native histograms: the families of {@link PrometheusSnapshots}, written by the Prometheus Java client's
 * {@code PrometheusProtobufWriter}.
 *
 * <p>Needs {@code io.prometheus:prometheus-metrics-exposition-formats} on the class path, an optional dependency of
 * perf-runtime; without it {@link #isAvailable()} is false and the rest of perf-runtime works as before. Stateless and
 * thread-safe.
 */
public final class PrometheusProtobuf {

    /** Content type of the exposition. */
    public static final String CONTENT_TYPE =
            "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

    private static final boolean AVAILABLE = probe();

    private PrometheusProtobuf() {
    }

    /** Whether the Prometheus client's protobuf writer is on the class path. */
    public static boolean isAvailable() {
        return AVAILABLE;
    }

    /**
     * Writes cumulative {@code snapshots} to {@code out}.
     *
     * @throws IllegalStateException if {@link #isAvailable()} is false
     * @throws IOException           if {@code out} fails
     */
    public static void write(OutputStream out, List<TimerSnapshot> snapshots, PrometheusOptions options)
            throws IOException {
        if (!AVAILABLE) {
            throw new IllegalStateException("the Prometheus protobuf format needs "
                    + "io.prometheus:prometheus-metrics-exposition-formats on the class path");
        }
        ProtobufWriter.write(out, snapshots, options);
    }

    /** As {@link #write(OutputStream, List, PrometheusOptions)}, into a new array. */
    public static byte[] render(List<TimerSnapshot> snapshots, PrometheusOptions options) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024 * (snapshots.size() + 1));
        try {
            write(out, snapshots, options);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    private static boolean probe() {
        ClassLoader loader = PrometheusProtobuf.class.getClassLoader();
        try {
            Class.forName("io.prometheus.metrics.model.snapshots.MetricSnapshots", false, loader);
            Class.forName("io.prometheus.metrics.expositionformats.PrometheusProtobufWriter", false, loader);
            return ProtobufWriter.available();
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Holds the references to the optional classes, loaded only once they are known to be present. */
    private static final class ProtobufWriter {
        private static final io.prometheus.metrics.expositionformats.PrometheusProtobufWriter WRITER =
                new io.prometheus.metrics.expositionformats.PrometheusProtobufWriter();

        static boolean available() {
            return WRITER.isAvailable();
        }

        static void write(OutputStream out, List<TimerSnapshot> snapshots, PrometheusOptions options)
                throws IOException {
            WRITER.write(out, PrometheusSnapshots.of(snapshots, options));
        }
    }
}
