package dev.perfkit;

import dev.perfkit.export.JsonReport;
import dev.perfkit.export.PrometheusText;
import dev.perfkit.export.TextReport;
import dev.perfkit.fixture.Fixtures.Service;

/** Run by {@link OptionalMicrometerTest} in a JVM whose class path has no Micrometer. */
public final class NoMicrometerMain {

    private NoMicrometerMain() {
    }

    public static void main(String[] args) {
        boolean micrometerPresent;
        try {
            Class.forName("io.micrometer.core.instrument.MeterRegistry");
            micrometerPresent = true;
        } catch (ClassNotFoundException e) {
            micrometerPresent = false;
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
        System.out.println("micrometer=" + micrometerPresent);
        System.out.println("count=" + Perf.registry().snapshot("service.int").orElseThrow().count());
        System.out.println("profiled=" + Perf.registry().snapshot("service.profiled.alloc").orElseThrow().count());
    }
}
