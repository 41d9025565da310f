package dev.perfkit.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code traffic-perf run} given things a user gets wrong: each ends with one line naming the cause (and the file
 * and line where there is one), a non-zero exit and no stack trace.
 */
class RunErrorsEndToEndTest {

    private static final String HEADER = "node_a_id,node_b_id,timestamp,distance_km,duration_sec,speed_kmh\n";
    private static final String ROW = "a,b,2025-10-30T03:00:00,1.0,100,36.0\n";

    @Test
    void dataDirThatIsAFile_isNamedAsSuch(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("data"), "not a directory");

        ChildJvm.Result result = ChildJvm.trafficPerf(dir, "run", "--once", "--data-dir", "data");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("--data-dir data is a file, not a directory");
        assertNoStackTrace(result);
    }

    @Test
    void dataDirInsideAFile_namesThePathAndWhy(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("data"), "not a directory");

        ChildJvm.Result result = ChildJvm.trafficPerf(dir, "run", "--once", "--data-dir", "data/sub");

        assertThat(result.exitCode()).isEqualTo(TrafficPerf.EXIT_FAILURE);
        assertThat(result.stderr()).containsPattern("traffic-perf: \\S*data/sub: (Not a directory|not a directory)");
        assertNoStackTrace(result);
    }

    @Test
    void csvWithBytesThatAreNotUtf8_namesTheFileAndTheLineTheyAreOn(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        csv.writeBytes(HEADER.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 2_000; i++) { // more than a reader's read-ahead buffer before the bad line
            csv.writeBytes(ROW.replace("03:00:00", String.format("03:%02d:%02d", i / 60 % 60, i % 60))
                    .replace("a,b", "a" + i + ",b").getBytes(StandardCharsets.UTF_8));
        }
        csv.writeBytes(new byte[] {'x', (byte) 0xff, (byte) 0xfe, ',', 'b', '\n'}); // line 2002
        csv.writeBytes(ROW.getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("latin.csv"), csv.toByteArray());

        ChildJvm.Result result = ChildJvm.trafficPerf(dir, "run", "--input", "latin.csv", "--data-dir", "data");

        assertThat(result.exitCode()).isEqualTo(TrafficPerf.EXIT_FAILURE);
        assertThat(result.stderr()).contains("traffic-perf: latin.csv, line 2002: bytes that are not UTF-8 text");
        assertNoStackTrace(result);
        assertThat(Files.exists(dir.resolve("data/traffic.db"))).as("a damaged file stores nothing").isFalse();
    }

    @Test
    void jsonWithBytesThatAreNotUtf8_namesTheFileAndTheLine(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        json.writeBytes(("[\n{\"node_a_id\": \"a\", \"node_b_id\": \"b\", \"timestamp\": \"2025-10-30T03:00:00\", "
                + "\"distance_km\": 1, \"duration_sec\": 100, \"speed_kmh\": 36},\n{\"node_a_id\": \"")
                .getBytes(StandardCharsets.UTF_8));
        json.writeBytes(new byte[] {'a', (byte) 0xff, '"', '}', '\n', ']', '\n'});
        Files.write(dir.resolve("latin.json"), json.toByteArray());

        ChildJvm.Result result = ChildJvm.trafficPerf(dir, "run", "--input", "latin.json", "--data-dir", "data");

        assertThat(result.exitCode()).isEqualTo(TrafficPerf.EXIT_FAILURE);
        assertThat(result.stderr()).contains("traffic-perf: latin.json, line 3").contains("UTF-8");
        assertNoStackTrace(result);
    }

    @Test
    void csvWithALineOfMegabytes_failsNamingTheLine_insteadOfFillingTheHeap(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("long.csv"), HEADER + ROW + "a," + "b".repeat(2 << 20) + ",x\n");

        ChildJvm.Result result = ChildJvm.trafficPerf(dir, "run", "--input", "long.csv", "--data-dir", "data");

        assertThat(result.exitCode()).isEqualTo(TrafficPerf.EXIT_FAILURE);
        assertThat(result.stderr()).contains("traffic-perf: long.csv, line 3: line longer than 1048576 bytes");
        assertNoStackTrace(result);
    }

    private static void assertNoStackTrace(ChildJvm.Result result) {
        assertThat(result.stderr()).doesNotContain("\tat ").doesNotContain("Exception in thread");
        assertThat(result.stderr().lines().filter(line -> line.startsWith("traffic-perf:")).count())
                .as(result.stderr()).isEqualTo(1);
    }
}
