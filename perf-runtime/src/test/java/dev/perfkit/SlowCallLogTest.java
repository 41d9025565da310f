package dev.perfkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The slow-call log's real output: the test binding (slf4j-simple, test scope) writes to {@code System.err}, looked up
 * on every line, so the test captures it and reads the WARN lines back.
 */
class SlowCallLogTest {

    private static final long INTERVAL_NANOS = 10_000_000_000L;

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureStandardError() {
        originalErr = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStandardError() {
        System.setErr(originalErr);
    }

    private List<String> slowCallLines(String name) {
        return captured.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains("slow call: " + name + " ")).toList();
    }

    @Test
    void slowCalls_withinOneInterval_logOneWarnLineWithNameElapsedAndTarget() {
        ManualNanoClock clock = new ManualNanoClock();
        SlowCallLog log = new SlowCallLog("slow.path", INTERVAL_NANOS, clock);

        for (int i = 0; i < 1_000; i++) {
            log.slowCall(2_000_000, 1_000_000);
        }

        assertThat(slowCallLines("slow.path")).singleElement().asString()
                .contains("WARN")
                .contains("dev.perfkit.slow")
                .endsWith("slow call: slow.path took 2.00 ms (target 1.00 ms)");
        assertThat(log.suppressed()).isEqualTo(999);
    }

    @Test
    void nextInterval_logsTheNextLine_withTheCallsSuppressedInBetween() {
        ManualNanoClock clock = new ManualNanoClock();
        SlowCallLog log = new SlowCallLog("slow.rate", INTERVAL_NANOS, clock);
        for (int i = 0; i < 1_000; i++) {
            log.slowCall(2_000_000, 1_000_000);
        }

        clock.advanceNanos(INTERVAL_NANOS - 1);
        log.slowCall(3_000_000, 1_000_000); // still inside the interval: suppressed
        clock.advanceNanos(1);
        log.slowCall(4_500_000, 1_000_000);

        assertThat(slowCallLines("slow.rate")).as("one line per interval").hasSize(2);
        assertThat(slowCallLines("slow.rate").get(1))
                .endsWith("slow call: slow.rate took 4.50 ms (target 1.00 ms); 1000 more slow calls since the last line");
        assertThat(log.suppressed()).as("reported and reset by the line").isZero();
    }
}
