package dev.perfkit.examples.cli;

import dev.perfkit.Perf;
import dev.perfkit.PerfRegistry;
import dev.perfkit.dashboard.Dashboard;
import dev.perfkit.dashboard.DashboardPanel;
import dev.perfkit.traffic.collect.DirectionsSource;
import dev.perfkit.traffic.pipeline.TrafficPipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve}: runs cycles on an interval and serves the live dashboard until Ctrl-C or SIGTERM. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs pipeline cycles on an interval and serves the live dashboard (read-only; loopback by "
                + "default).")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8080",
            description = "Port, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 exposes the dashboard to the "
                    + "network).")
    String bind;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "Time between cycles, e.g. 500ms, 5s (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--cycles", paramLabel = "N",
            description = "Stop running cycles after N (the dashboard keeps serving); default: no limit.")
    Integer cycles;

    @Option(names = "--allow-host", paramLabel = "NAME",
            description = "Also answer requests whose Host header is NAME (a DNS name or address, without port); "
                    + "repeatable. Requests naming another host get 421, so a web page that rebinds its DNS name to "
                    + "this machine cannot read the dashboard. Loopback names and the address a request reached "
                    + "are always answered.")
    List<String> allowedHosts = new ArrayList<>();

    @CommandLine.Mixin
    PipelineOptions pipeline;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException, SQLException {
        pipeline.check(spec.commandLine());
        if (port < 0 || port > 65_535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 0 to 65535, was " + port);
        }
        if (interval.isZero()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--interval must be positive");
        }
        Files.createDirectories(pipeline.dataDir);
        // held until the JVM exits: the kernel (or PostgreSQL, closing the session) releases it
        WriterLock lock = WriterLock.acquire(pipeline.dataDir, pipeline.db, pipeline.wait);
        PerfRegistry registry = Perf.registry();
        MetricsFiles files = MetricsFiles.open(pipeline.dataDir, registry);
        DirectionsSource source = pipeline.openSource(spec.commandLine());
        TrafficPipeline running = pipeline.openPipeline(source, true);
        TrafficPanels panels = new TrafficPanels(source, pipeline.dataDir,
                pipeline.databaseLabel(running.store().url()));
        Dashboard.Builder builder = Dashboard.builder(registry).bindAddress(bind).port(port)
                .sampleInterval(interval).health(panels::degradedReason);
        for (String host : allowedHosts) {
            try {
                builder.allowHost(host);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--allow-host: " + e.getMessage());
            }
        }
        for (DashboardPanel panel : panels.panels()) {
            builder.panel(panel);
        }
        Dashboard dashboard = builder.start();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "traffic-perf-cycles");
            thread.setDaemon(true);
            return thread;
        });
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicReference<String> fatal = new AtomicReference<>();
        CycleLoop loop = new CycleLoop(running, panels, files, registry::profile, cycles, message -> {
            fatal.set(message);
            stopped.countDown();
        });
        // announced before the first cycle starts: a cycle that exhausts the heap must not starve this line
        System.out.println("Dashboard at " + dashboard.uri() + " (Ctrl-C to stop)");
        System.out.flush();
        scheduler.scheduleWithFixedDelay(loop, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            scheduler.shutdown();
            try {
                scheduler.awaitTermination(30, TimeUnit.SECONDS); // the cycle in progress finishes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                files.flush();
                files.saveProfile(registry.profile());
            } catch (IOException e) {
                System.err.println("traffic-perf: " + e.getMessage());
            }
            dashboard.close();
            running.close();
            try {
                lock.close();
            } catch (IOException e) {
                System.err.println("traffic-perf: releasing " + WriterLock.LOCK_FILE + ": " + e.getMessage());
            }
            stopped.countDown();
        }, "traffic-perf-shutdown"));
        stopped.await();
        if (fatal.get() != null) {
            System.err.println("traffic-perf: serve stopped: " + fatal.get());
            System.err.flush();
            return TrafficPerf.EXIT_FAILURE; // main exits; the shutdown hook flushes and closes
        }
        return TrafficPerf.EXIT_OK;
    }
}
