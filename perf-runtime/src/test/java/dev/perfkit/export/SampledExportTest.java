package dev.perfkit.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perfkit.PerfRegistry;
import dev.perfkit.PerfTimer;
import dev.perfkit.TimerSnapshot;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A sampled timer's exported buckets agree with its exact count, so quantiles over them stay within its values. */
class SampledExportTest {

    @Test
    void sampledTimer_classicBuckets_addUpToTheExactCount() {
        PerfRegistry registry = new PerfRegistry();
        PerfTimer timer = registry.timerBuilder("tiny.op").sampleOneIn(64).register();
        for (int i = 0; i < 100; i++) {
            timer.record(3_000); // the sampled calls: all 3 us, inside the (2 us, 5 us] bucket
            for (int j = 0; j < 63; j++) {
                timer.recordUnsampled();
            }
        }
        TimerSnapshot snapshot = timer.snapshot();
        assertThat(snapshot.count()).isEqualTo(6_400);
        assertThat(snapshot.sampledCount()).isEqualTo(100);

        String text = PrometheusText.render(List.of(snapshot));

        assertThat(bucket(text, "2e-06")).isZero();
        assertThat(bucket(text, "5e-06")).as("every call is estimated at the sampled latencies").isEqualTo(6_400);
        assertThat(bucket(text, "+Inf")).isEqualTo(6_400);
        assertThat(text).contains("tiny_op_seconds_count 6400");
    }

    private static long bucket(String text, String le) {
        Matcher m = Pattern.compile("tiny_op_seconds_bucket\\{le=\"" + Pattern.quote(le) + "\"} (\\d+)").matcher(text);
        assertThat(m.find()).as("bucket le=%s in%n%s", le, text).isTrue();
        return Long.parseLong(m.group(1));
    }
}
