package dev.perfkit;

import dev.perfkit.export.JsonReport;
import dev.perfkit.export.PrometheusText;
import dev.perfkit.export.TextReport;
import dev.perfkit.fixture.Fixtures.Service;

/** Run by {@link OptionalMicrometerTest} in a JVM whose class path has no Micrometer. */
public final class NoMicrometerMain {

    private NoMicrometerMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean micrometerPresent;
        try {
            Class.forName("io.micrometer.core.instrument.MeterRegistry");
            micrometerPresent = true;
        } catch (ClassNotFoundException e) {
            micrometerPresent = false;
        }
        boolean prometheusPresent;
        try {
            Class.forName("io.prometheus.metrics.model.snapshots.MetricSnapshots");
            prometheusPresent = true;
        } catch (ClassNotFoundException e) {
            prometheusPresent = false;
        }
        Service service = new Service();
        for (int i = 0; i < 5; i++) {
            service.plusOne(i);
        }
        service.allocate(10);
        try (Stopwatch watch = Perf.start("no.micrometer.block")) {
            watch.elapsedNanos();
        }
        var snapshots = Perf.registry().snapshots();
        TextReport.render(snapshots);
        PrometheusText.render(snapshots);
        JsonReport.render(snapshots);
        PrometheusText.renderOpenMetrics(snapshots, dev.perfkit.export.PrometheusOptions.defaults());
        try (var dashboard = dev.perfkit.dashboard.Dashboard.builder(Perf.registry()).port(0).start()) {
            var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                    .newBuilder(dashboard.uri().resolve("/metrics")).header("Accept",
                            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                                    + "encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3").build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            System.out.println("scrape=" + response.headers().firstValue("Content-Type").orElse("")
                    + " bytes=" + (response.body().length > 0));
        }
        System.out.println("micrometer=" + micrometerPresent);
        System.out.println("prometheus=" + prometheusPresent);
        System.out.println("protobuf=" + dev.perfkit.export.PrometheusProtobuf.render(snapshots,
                dev.perfkit.export.PrometheusOptions.defaults()).length);
        System.out.println("count=" + Perf.registry().snapshot("service.int").orElseThrow().count());
        System.out.println("profiled=" + Perf.registry().snapshot("service.profiled.alloc").orElseThrow().count());
    }
}
