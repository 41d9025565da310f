package dev.perfkit.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --input} with a file a quarter larger than the child JVM's whole heap, in both formats: it is read and stored
 * record by record in batches, so every valid record is stored and the child neither dies nor runs out of memory.
 */
class LargeInputEndToEndTest {

    /** The child's heap; the inputs are several times larger. */
    private static final String HEAP = "-Xmx64m";
    private static final long HEAP_BYTES = 64L * 1024 * 1024;
    private static final int EDGES = 1_000;
    private static final LocalDateTime START = LocalDateTime.of(2025, 10, 30, 3, 0);

    @Test
    void jsonLargerThanTheHeap_isStoredCompletely_inASmallHeap(@TempDir Path dir) throws Exception {
        int records = 370_000;
        Path file = dir.resolve("big.json");
        write(file, records, true);
        assertThat(Files.size(file)).as("input against the child's heap").isGreaterThan(HEAP_BYTES + HEAP_BYTES / 4);

        ChildJvm.Result result = run(dir, "big.json");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.stderr()).doesNotContain("OutOfMemoryError").doesNotContain("Exception");
        assertThat(result.stdout()).contains("collected " + records + ", valid " + records + ", rejected 0, stored "
                + records);
        assertThat(TrafficPerfEndToEndTest.rowCount(dir.resolve("data/traffic.db"))).isEqualTo(records);
    }

    @Test
    void csvLargerThanTheHeap_withRejectedRows_storesEveryValidRow_inASmallHeap(@TempDir Path dir) throws Exception {
        int records = 900_000;
        Path file = dir.resolve("big.csv");
        write(file, records, false);
        assertThat(Files.size(file)).isGreaterThan(HEAP_BYTES + HEAP_BYTES / 4);
        int rejected = records / 100_000; // write() makes every 100,000th speed unparsable

        ChildJvm.Result result = run(dir, "big.csv");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.stderr()).doesNotContain("OutOfMemoryError").doesNotContain("Exception");
        assertThat(result.stdout()).contains("collected " + records + ", valid " + (records - rejected)
                        + ", rejected " + rejected + ", stored " + (records - rejected))
                .contains("UNREADABLE:speed_kmh=" + rejected)
                .contains("big.csv, line 100001, record 99999, field 'speed_kmh': not a number: 'fast'");
        assertThat(TrafficPerfEndToEndTest.rowCount(dir.resolve("data/traffic.db"))).isEqualTo(records - rejected);
        assertThat(result.stderr()).as("progress every 5 s over a run of more than 10 s")
                .containsPattern("traffic-perf: big\\.csv: (checking|storing): \\d+ records read, .*\\d+ records/s\\)");
    }

    private static ChildJvm.Result run(Path dir, String input) throws IOException, InterruptedException {
        return ChildJvm.finish(dir, ChildJvm.start(dir, ChildJvm.command(List.of(HEAP), TrafficPerf.class.getName(),
                "run", "--input", input, "--retention", "off", "--data-dir", "data")));
    }

    /**
     * {@code records} valid records over {@link #EDGES} edges, one per edge per second; in CSV every 100,000th row
     * (row 99,999, ...) has the speed {@code fast}. Each edge's text is formatted once: writing stays a few seconds.
     */
    private static void write(Path file, int records, boolean json) throws IOException {
        String[] edgeText = new String[EDGES];
        for (int edge = 0; edge < EDGES; edge++) {
            // node ids shaped like the bundled ones: node-<lat>-<lon>
            String a = String.format(Locale.ROOT, "node-10.%06d-106.%06d", 700_000 + edge, 600_000 + edge);
            String b = String.format(Locale.ROOT, "node-10.%06d-106.%06d", 800_000 + edge, 650_000 + edge);
            double distanceKm = 0.5 + edge / 1000.0;
            String speed = String.format(Locale.ROOT, "%.3f", distanceKm / (100 / 3600.0));
            edgeText[edge] = json
                    ? String.format(Locale.ROOT, "{\"node_a_id\": \"%s\", \"node_b_id\": \"%s\", "
                            + "\"distance_km\": %.3f, \"duration_sec\": 100, \"speed_kmh\": %s, \"api_type\": \"real\", "
                            + "\"has_traffic_data\": true, \"timestamp\": \"", a, b, distanceKm, speed)
                    : String.format(Locale.ROOT, "%s,%s,%.3f,100,%s,real,", a, b, distanceKm, speed);
        }
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(json ? "[\n" : "node_a_id,node_b_id,distance_km,duration_sec,speed_kmh,api_type,timestamp\n");
            String timestamp = null;
            for (int i = 0; i < records; i++) {
                int edge = i % EDGES;
                if (edge == 0) {
                    timestamp = START.plusSeconds(i / EDGES).toString();
                }
                if (json) {
                    out.write(i == 0 ? "" : ",");
                    out.write(edgeText[edge]);
                    out.write(timestamp);
                    out.write("\"}\n");
                } else if (i % 100_000 == 99_999) {
                    out.write(edgeText[edge].replaceFirst(",[0-9.]+,real,$", ",fast,real,"));
                    out.write(timestamp);
                    out.write('\n');
                } else {
                    out.write(edgeText[edge]);
                    out.write(timestamp);
                    out.write('\n');
                }
            }
            if (json) {
                out.write("]\n");
            }
        }
    }
}
