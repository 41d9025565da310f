package dev.perfkit.examples.host;

import dev.perfkit.Perf;
import dev.perfkit.TimerSnapshot;
import dev.perfkit.export.TextReport;
import java.util.List;

/**
 * A host application that is not part of traffic-core: its classes carry {@code @Timed}/{@code @Profiled} and are
 * woven when the JVM starts with the AspectJ agent, then it reads its numbers through the metrics API and, when
 * Micrometer is on the class path, through the Micrometer bridge.
 *
 * <pre>
 * java -javaagent:examples/target/aspectjweaver.jar -cp examples/target/traffic-perf.jar \
 *      dev.perfkit.examples.host.HostApp
 * </pre>
 */
public final class HostApp {

    private HostApp() {
    }

    public static void main(String[] args) {
        int orders = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        OrderService service = new OrderService();
        for (int i = 0; i < orders; i++) {
            service.place("item-" + (i % 97), 1 + i % 5);
        }
        try {
            service.place("broken", 0);
        } catch (IllegalArgumentException expected) {
            // counted as an error of shop.orders.place; the host still sees its own exception
        }
        service.receipt();

        List<TimerSnapshot> snapshots = Perf.registry().snapshots();
        if (snapshots.isEmpty()) {
            System.out.println("No timers: start the JVM with -javaagent:examples/target/aspectjweaver.jar "
                    + "so that the host's classes are woven.");
            return;
        }
        System.out.println("Metrics API (" + service.count() + " orders placed):");
        System.out.print(TextReport.render(snapshots));
        TimerSnapshot place = Perf.registry().snapshot("shop.orders.place").orElseThrow();
        System.out.printf("shop.orders.place: %d calls, %d errors %s%n", place.count(), place.errors(),
                place.errorsByType());
        if (isPresent("io.micrometer.core.instrument.MeterRegistry")) {
            MicrometerView.print(Perf.registry());
        }
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, HostApp.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
