package dev.perfkit.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perfkit.MetricUnit;
import dev.perfkit.PerfRegistry;
import dev.perfkit.PerfTimer;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Our encoder against the Prometheus Java client's own writer, fed the same families through its model. */
class PrometheusProtobufTest {

    private static List<Metrics.MetricFamily> parse(byte[] bytes) throws IOException {
        List<Metrics.MetricFamily> families = new ArrayList<>();
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        for (Metrics.MetricFamily f = Metrics.MetricFamily.parseDelimitedFrom(in); f != null;
             f = Metrics.MetricFamily.parseDelimitedFrom(in)) {
            families.add(f);
        }
        families.sort(Comparator.comparing(Metrics.MetricFamily::getName));
        return families;
    }

    private static PerfRegistry fleetOfShapes() {
        PerfRegistry registry = new PerfRegistry();
        SplittableRandom random = new SplittableRandom(21);
        PerfTimer wide = registry.timerBuilder("shape.wide").tags(Map.of("region", "hcmc", "le", "x")).register();
        for (int i = 0; i < 20_000; i++) {
            wide.record((long) (1_000 * Math.exp(4 * random.nextGaussian())));
        }
        wide.recordError(10, new IllegalStateException());
        wide.recordError(10, new IllegalArgumentException());
        PerfTimer narrow = registry.timer("shape.narrow");
        for (int i = 0; i < 1_000; i++) {
            narrow.record(50_000 + random.nextInt(100));
        }
        registry.timer("shape.zeros").record(0);
        registry.timer("shape.empty");
        PerfTimer alloc = registry.timerBuilder("shape.alloc").unit(MetricUnit.BYTES).register();
        for (int i = 0; i < 500; i++) {
            alloc.record(random.nextInt(1 << 20));
        }
        return registry;
    }

    @Test
    void render_givesTheMessagesOfPrometheusProtobufWriter_forHistogramsAndSummaries() throws Exception {
        PerfRegistry registry = fleetOfShapes();
        var snapshots = registry.snapshots();
        for (PrometheusOptions options : List.of(PrometheusOptions.defaults(),
                PrometheusOptions.builder().nativeSchema(3).buckets("shape.wide", HistogramBuckets.of(1, 10, 100))
                        .build(),
                PrometheusOptions.builder().kind(PrometheusOptions.Kind.SUMMARY).build())) {
            ByteArrayOutputStream reference = new ByteArrayOutputStream();
            new PrometheusProtobufWriter().write(reference, PrometheusSnapshots.of(snapshots, options));

            List<Metrics.MetricFamily> ours = parse(PrometheusProtobuf.render(snapshots, options));

            assertThat(ours).isEqualTo(parse(reference.toByteArray()));
            assertThat(ours).hasSize(15);
        }
    }
}
