package dev.perfkit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perfkit.PerfConfig;
import dev.perfkit.PerfRegistry;
import dev.perfkit.PerfTimer;
import dev.perfkit.export.HistogramBuckets;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class PerfMeterBinderPrometheusTest {

    @Test
    void prometheusMeterRegistry_scrape_hasBucketsComputedFromOurCounts_andExactSumAndCount() {
        PerfRegistry registry = new PerfRegistry();
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new PerfMeterBinder(registry, Duration.ZERO).bindTo(meters);
        PerfTimer timer = registry.timer("bridge.op");
        SplittableRandom random = new SplittableRandom(9);
        Histogram reference = new Histogram(1, PerfConfig.DEFAULT_HIGHEST_TRACKABLE_VALUE,
                PerfConfig.DEFAULT_SIGNIFICANT_DIGITS);
        long sum = 0;
        for (int i = 0; i < 10_000; i++) {
            long value = 1_000 + random.nextLong(100_000_000);
            timer.record(value);
            reference.recordValue(value);
            sum += value;
        }
        timer.recordError(4_000, new IllegalStateException());
        reference.recordValue(4_000);
        sum += 4_000;

        String scrape = meters.scrape();

        Matcher m = Pattern.compile("(?m)^bridge_op_seconds_bucket\\{le=\"([^\"]+)\"} (\\d+)$").matcher(scrape);
        List<Long> published = new ArrayList<>();
        List<Double> bounds = new ArrayList<>();
        while (m.find()) {
            bounds.add(m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1)));
            published.add(Long.parseLong(m.group(2)));
        }
        List<Long> expected = new ArrayList<>();
        for (long bound : HistogramBuckets.latencyDefault().upperBounds()) {
            long n = 0;
            for (var v : reference.recordedValues()) {
                if (v.getValueIteratedTo() <= bound) {
                    n += v.getCountAtValueIteratedTo();
                }
            }
            expected.add(n);
        }
        expected.add(10_001L);
        assertThat(published).containsExactlyElementsOf(expected);
        assertThat(bounds.get(0)).isEqualTo(1e-6);
        assertThat(scrape).contains("# TYPE bridge_op_seconds histogram").contains("bridge_op_seconds_count 10001");
        Matcher s = Pattern.compile("(?m)^bridge_op_seconds_sum (\\S+)$").matcher(scrape);
        assertThat(s.find()).isTrue();
        assertThat(Double.parseDouble(s.group(1))).isCloseTo(sum * 1e-9, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(scrape).contains("bridge_op_errors_total 1.0");
    }

    @Test
    void prometheusMeterRegistry_protobufScrape_carriesNativeBuckets() throws Exception {
        PerfRegistry registry = new PerfRegistry();
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new PerfMeterBinder(registry).bindTo(meters);
        for (int i = 1; i <= 1_000; i++) {
            registry.record("bridge.native", i * 1_000L);
        }

        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        meters.scrape(out, io.prometheus.metrics.expositionformats.PrometheusProtobufWriter.CONTENT_TYPE);

        var in = new java.io.ByteArrayInputStream(out.toByteArray());
        io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.Histogram histogram = null;
        for (var f = io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.MetricFamily
                .parseDelimitedFrom(in); f != null; f = f.getParserForType().parseDelimitedFrom(in)) {
            if (f.getName().equals("bridge_native_seconds")) {
                histogram = f.getMetric(0).getHistogram();
            }
        }
        assertThat(histogram).isNotNull();
        assertThat(histogram.getSchema()).isEqualTo(6);
        assertThat(histogram.getSampleCount()).isEqualTo(1_000);
        long nativeCount = histogram.getZeroCount();
        long running = 0;
        for (long delta : histogram.getPositiveDeltaList()) {
            running += delta;
            nativeCount += running;
        }
        assertThat(nativeCount).isEqualTo(1_000);
    }

    @Test
    void prometheusOptions_perTimerBuckets_reachTheScrape() {
        PerfRegistry registry = new PerfRegistry();
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new PerfMeterBinder(registry, dev.perfkit.export.PrometheusOptions.builder()
                .buckets("bridge.custom", HistogramBuckets.of(1_000, 1_000_000)).build(), Duration.ZERO)
                .bindTo(meters);
        registry.record("bridge.custom", 500);
        registry.record("bridge.custom", 500_000);
        registry.record("bridge.custom", 5_000_000);

        String scrape = meters.scrape();

        assertThat(scrape).contains("bridge_custom_seconds_bucket{le=\"1.0E-6\"} 1")
                .contains("bridge_custom_seconds_bucket{le=\"0.001\"} 2")
                .contains("bridge_custom_seconds_bucket{le=\"+Inf\"} 3");
    }
}
