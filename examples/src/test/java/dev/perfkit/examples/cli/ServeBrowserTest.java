package dev.perfkit.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} in a child JVM, its page loaded in real headless Chromium. */
class ServeBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Test
    void dashboard_inChromium_listsTrafficTimersWithCounts_andRendersPlotsAndPanels(@TempDir Path dir)
            throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM),
                "chromium is not installed here (Debian packages 'chromium' and 'chromium-driver'; CI installs them)");
        Process server = ChildJvm.start(dir, ChildJvm.command(List.of(), TrafficPerf.class.getName(),
                "serve", "--port", "0", "--interval", "200ms", "--data-dir", "data"));
        try {
            URI uri = awaitUri(dir);
            assertThat(uri.getHost()).isEqualTo("127.0.0.1");
            awaitCycles(uri, 3);

            String dom = chromium(dir, "--virtual-time-budget=8000", "--dump-dom", uri.toString());

            assertThat(dom).contains("data-ready=\"true\"");
            for (String name : TrafficPerfEndToEndTest.TARGET_OPERATIONS) {
                assertThat(dom).containsPattern("<td class=\"name\">" + Pattern.quote(name)
                        + "</td><td class=\"count\">[1-9]");
            }
            assertThat(dom).containsPattern("data-plotted=\"[1-9]").contains("<path d=\"M");
            assertThat(dom).containsPattern("data-profile-rows=\"[1-9]")
                    .containsPattern("<td class=\"name\">traffic\\.storage\\.save</td><td>[1-9]");
            assertThat(dom).contains("data-panel=\"collection\"").contains("data-panel=\"quality\"")
                    .contains("data-panel=\"api\"").contains("data-panel=\"speed-map\"");
            assertThat(dom.split("<circle", -1).length).as("intersections and plot points").isGreaterThan(64);
            Path png = Path.of("target", "dashboard.png").toAbsolutePath();
            chromium(dir, "--virtual-time-budget=8000", "--window-size=1280,2600", "--screenshot=" + png,
                    uri.toString());
            assertThat(Files.size(png)).isPositive();
        } finally {
            server.destroy();
            server.waitFor(60, TimeUnit.SECONDS);
        }
        assertThat(Files.exists(dir.resolve("data/metrics.hlog"))).as("metrics flushed on SIGTERM").isTrue();
    }

    private static URI awaitUri(Path dir) throws IOException, InterruptedException {
        Pattern url = Pattern.compile("Dashboard at (http://\\S+)");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = url.matcher(ChildJvm.read(dir, "stdout.txt"));
            if (m.find()) {
                return URI.create(m.group(1));
            }
            Thread.sleep(50); // polling another process's output
        }
        throw new AssertionError("serve printed no URL: " + ChildJvm.read(dir, "stderr.txt"));
    }

    private static void awaitCycles(URI uri, int cycles) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String body = http.send(HttpRequest.newBuilder(uri.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("traffic_cycle_run_seconds_count (\\d+)").matcher(body);
            if (m.find() && Integer.parseInt(m.group(1)) >= cycles) {
                return;
            }
            Thread.sleep(100); // polling another process's state
        }
        throw new AssertionError("fewer than " + cycles + " cycles in 60 s");
    }

    private static String chromium(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + Files.createTempDirectory(dir, "profile")));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "chromium", ".out");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 90 s");
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
