package dev.perfkit.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perfkit.MetricUnit;
import dev.perfkit.PerfRegistry;
import dev.perfkit.PerfTimer;
import dev.perfkit.TimerSnapshot;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExportTest {

    private final PerfRegistry registry = new PerfRegistry();

    @BeforeEach
    void record() {
        PerfTimer save = registry.timerBuilder("traffic.storage.save").target(Duration.ofMillis(100))
                .tags(Map.of("db", "sqlite")).description("one batch").register();
        for (int i = 1; i <= 100; i++) {
            save.record(i * 10_000L);
        }
        save.recordError(5_000, new IllegalStateException());
        PerfTimer slow = registry.timerBuilder("slow.op").target(Duration.ofNanos(1_000)).register();
        slow.record(2_000_000);
        registry.timerBuilder("alloc.bytes").unit(MetricUnit.BYTES).register().record(4096);
        registry.timer("idle");
    }

    @Test
    void textReport_listsEveryTimerWithHumanUnitsAndStatus() {
        String table = TextReport.render(registry.snapshots());

        assertThat(table.lines().findFirst().orElseThrow())
                .startsWith("name").contains("target", "count", "p50", "p99", "max", "status");
        assertThat(table).containsPattern("traffic\\.storage\\.save\\s+100 ms\\s+101\\s+50\\d us\\s+99\\d us\\s+1\\.00 ms\\s+met");
        assertThat(table).containsPattern("slow\\.op\\s+1\\.00 us\\s+1\\s+.*missed");
        assertThat(table).containsPattern("alloc\\.bytes\\s+-\\s+1\\s+4\\.0\\d KiB");
        assertThat(table).containsPattern("idle\\s+-\\s+0\\s+-\\s+-\\s+-\\s+no target");
    }

    @Test
    void prometheusText_hasHistogramMaxAndErrorFamilies() {
        String text = PrometheusText.render(registry.snapshots());

        assertThat(text).contains("# TYPE traffic_storage_save_seconds histogram");
        assertThat(text).contains("traffic_storage_save_seconds_bucket{db=\"sqlite\",le=\"0.002\"} 101");
        assertThat(text).contains("traffic_storage_save_seconds_bucket{db=\"sqlite\",le=\"+Inf\"} 101");
        assertThat(text).contains("traffic_storage_save_seconds_count{db=\"sqlite\"} 101");
        assertThat(text).contains("# TYPE traffic_storage_save_seconds_max gauge");
        assertThat(text).contains("traffic_storage_save_errors_total{db=\"sqlite\",exception=\"java.lang.IllegalStateException\"} 1");
        assertThat(text).contains("# TYPE alloc_bytes_bytes histogram");
    }

    @Test
    void prometheusText_summaryOption_hasSummaryMaxAndErrorFamilies() {
        String text = PrometheusText.render(registry.snapshots(),
                PrometheusOptions.builder().kind(PrometheusOptions.Kind.SUMMARY).build());

        assertThat(text).contains("# TYPE traffic_storage_save_seconds summary");
        assertThat(text).contains("traffic_storage_save_seconds{db=\"sqlite\",quantile=\"0.99\"}");
        assertThat(text).contains("traffic_storage_save_seconds_count{db=\"sqlite\"} 101");
        assertThat(text).contains("# TYPE traffic_storage_save_seconds_max gauge");
        assertThat(text).contains("traffic_storage_save_errors_total{db=\"sqlite\",exception=\"java.lang.IllegalStateException\"} 1");
        assertThat(text).contains("# TYPE alloc_bytes_bytes summary");
    }

    @Test
    void prometheusText_sanitisesNamesAndEscapesLabels() {
        PerfRegistry odd = new PerfRegistry();
        odd.timerBuilder("9lives.<script>").tags(Map.of("path", "a\"b\\c")).register().record(1);

        String text = PrometheusText.render(odd.snapshots());

        assertThat(text).contains("_lives__script__seconds_count{path=\"a\\\"b\\\\c\"} 1");
    }

    @Test
    void jsonReport_parsesAndCarriesTheContractFields() throws Exception {
        JsonNode timers = new ObjectMapper().readTree(JsonReport.render(registry.snapshots())).get("timers");

        JsonNode save = find(timers, "traffic.storage.save");
        assertThat(save.get("count").asLong()).isEqualTo(101);
        assertThat(save.get("errors").asLong()).isEqualTo(1);
        assertThat(save.get("p50Nanos").asLong()).isPositive();
        assertThat(save.get("p999Nanos").asLong()).isGreaterThanOrEqualTo(save.get("p99Nanos").asLong());
        assertThat(save.get("targetNanos").asLong()).isEqualTo(100_000_000);
        assertThat(save.get("met").asBoolean()).isTrue();
        assertThat(find(timers, "slow.op").get("met").asBoolean()).isFalse();
        assertThat(find(timers, "idle").get("targetNanos").isNull()).isTrue();
        assertThat(find(timers, "idle").get("met").isNull()).isTrue();
        assertThat(find(timers, "alloc.bytes").get("maxBytes").asLong()).isGreaterThanOrEqualTo(4096);
    }

    @Test
    void jsonReport_escapesMarkupInNames() throws Exception {
        PerfRegistry odd = new PerfRegistry();
        odd.timer("<script>alert(1)</script>").record(1);

        String json = JsonReport.render(odd.snapshots());

        assertThat(json).doesNotContain("<script>");
        assertThat(new ObjectMapper().readTree(json).get("timers").get(0).get("name").asText())
                .isEqualTo("<script>alert(1)</script>");
    }

    private static JsonNode find(JsonNode timers, String name) {
        for (JsonNode timer : timers) {
            if (timer.get("name").asText().equals(name)) {
                return timer;
            }
        }
        throw new AssertionError("no timer " + name + " in " + timers);
    }

    static long count(Iterable<TimerSnapshot> snapshots, String name) {
        for (TimerSnapshot s : snapshots) {
            if (s.name().equals(name)) {
                return s.count();
            }
        }
        return -1;
    }
}
