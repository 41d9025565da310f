package dev.perfkit.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perfkit.ManualNanoClock;
import dev.perfkit.Perf;
import dev.perfkit.PerfConfig;
import dev.perfkit.PerfRegistry;
import dev.perfkit.fixture.Nested;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallTreeTest {

    private final ManualNanoClock clock = new ManualNanoClock();
    private PerfRegistry previous;

    private PerfRegistry install(PerfConfig.Builder config) {
        PerfRegistry registry = new PerfRegistry(config.clock(clock).build());
        PerfRegistry old = Perf.setRegistry(registry);
        if (previous == null) {
            previous = old;
        }
        return registry;
    }

    @AfterEach
    void restore() {
        if (previous != null) {
            Perf.setRegistry(previous);
        }
    }

    @Test
    void nestedCalls_formTheExpectedTree_withExactSelfAndTotal() {
        PerfRegistry registry = install(PerfConfig.builder());
        Nested nested = new Nested(clock);
        nested.outer();
        nested.outer();

        Map<String, PathProfile> paths = registry.profile().paths().stream()
                .collect(Collectors.toMap(PathProfile::key, p -> p));

        assertThat(paths).containsOnlyKeys("nested.outer", "nested.outer;nested.inner",
                "nested.outer;nested.inner;nested.leaf");
        PathProfile outer = paths.get("nested.outer");
        PathProfile inner = paths.get("nested.outer;nested.inner");
        assertThat(outer.calls()).isEqualTo(2);
        assertThat(outer.totalNanos()).isEqualTo(2 * 3_500);
        assertThat(outer.selfNanos()).isEqualTo(2 * 500);
        assertThat(inner.calls()).isEqualTo(6);
        assertThat(inner.totalNanos()).isEqualTo(6 * 1_000);
        assertThat(outer.selfNanos() + inner.totalNanos()).isEqualTo(outer.totalNanos());
        assertThat(paths.get("nested.outer;nested.inner;nested.leaf").calls()).isEqualTo(6);
    }

    @Test
    void methodReport_sortsByTheChosenKey() {
        PerfRegistry registry = install(PerfConfig.builder());
        new Nested(clock).outer();

        Profile profile = registry.profile();

        assertThat(profile.top(SortKey.TOTAL, 2)).extracting(MethodProfile::name)
                .containsExactly("nested.outer", "nested.inner");
        assertThat(profile.top(SortKey.SELF, 1).get(0).name()).isEqualTo("nested.inner");
        assertThat(profile.top(SortKey.CALLS, 3).get(2).name()).isEqualTo("nested.outer");
        assertThat(profile.table(SortKey.SELF, 10)).contains("nested.inner").contains("calls").contains("self");
        assertThatThrownBy(() -> SortKey.parse("speed")).hasMessageContaining("total, self, calls, cpu, alloc");
    }

    @Test
    void collapsedStacks_parseAsFrameListsAndSelfTimes() {
        PerfRegistry registry = install(PerfConfig.builder());
        new Nested(clock).outer();

        String collapsed = registry.profile().collapsedStacks();

        List<String> lines = collapsed.lines().toList();
        assertThat(lines).allMatch(line -> line.matches("[^ ;]+(;[^ ;]+)* \\d+"));
        long selfSum = lines.stream().mapToLong(line -> Long.parseLong(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
        assertThat(selfSum).isEqualTo(3_500);
        assertThat(lines).contains("nested.outer 500", "nested.outer;nested.inner 3000");
    }

    @Test
    void tsv_roundTripsAndMergesRuns() {
        PerfRegistry registry = install(PerfConfig.builder());
        new Nested(clock).outer();
        Profile profile = registry.profile();

        Profile twice = Profile.parseTsv(profile.toTsv() + profile.toTsv());

        assertThat(Profile.parseTsv(profile.toTsv()).paths()).isEqualTo(profile.paths());
        assertThat(twice.paths().get(0).calls()).isEqualTo(2 * profile.paths().get(0).calls());
        assertThatThrownBy(() -> Profile.parseTsv("a;b\t1\t2\n")).hasMessageContaining("line 1");
    }

    @Test
    void flameGraph_isSvgWithOneRectanglePerFrame() {
        PerfRegistry registry = install(PerfConfig.builder());
        new Nested(clock).outer();

        String svg = registry.profile().flameGraphSvg("test <profile>");

        assertThat(svg).startsWith("<?xml").contains("<svg").endsWith("</svg>\n");
        assertThat(svg).contains("test &lt;profile&gt;");
        assertThat(svg.split("<rect x=", -1)).hasSize(1 + 4); // all, outer, inner, leaf
    }

    @Test
    void flameGraph_frameWidthsAndPositions_followInclusiveTimesOfAKnownTree() {
        // a: 1,000 ns inclusive, 400 of its own; its children b (400 ns) and c (200 ns), side by side.
        Profile profile = Profile.of(List.of(
                new PathProfile(List.of("a"), 1, 1_000, 400, 0, 0),
                new PathProfile(List.of("a", "b"), 2, 400, 400, 0, 0),
                new PathProfile(List.of("a", "c"), 1, 200, 200, 0, 0)));

        Map<String, double[]> rects = rectangles(profile.flameGraphSvg("known"));

        // The image is 1,200 px wide; "all" (the root) spans it, a = 1,000 of 1,000 ns, b = 400, c = 200.
        assertThat(rects.get("all")).containsExactly(0.0, 1200.0);
        assertThat(rects.get("a")).containsExactly(0.0, 1200.0);
        assertThat(rects.get("b")).containsExactly(0.0, 480.0);
        assertThat(rects.get("c")).containsExactly(480.0, 240.0);
    }

    /** Frame name -> {x, width} of its rectangle, read from the SVG's title and rect elements. */
    private static Map<String, double[]> rectangles(String svg) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "<title>([^ <]+) \\([^<]*</title><rect x=\"([0-9.]+)\" y=\"[0-9.]+\" width=\"([0-9.]+)\"")
                .matcher(svg);
        Map<String, double[]> rects = new java.util.HashMap<>();
        while (m.find()) {
            rects.put(m.group(1), new double[] {Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))});
        }
        return rects;
    }

    @Test
    void runawayRecursion_isCappedAndCountedAsOverflow() {
        PerfRegistry registry = install(PerfConfig.builder().maxCallPaths(50));
        Nested nested = new Nested(clock);

        assertThat(nested.recurse(2_000)).isEqualTo(2_000);

        Profile profile = registry.profile();
        assertThat(profile.paths().size()).isLessThanOrEqualTo(51);
        assertThat(profile.overflowCalls()).isEqualTo(2_001 - 50);
        assertThat(registry.snapshot("nested.recurse").orElseThrow().count()).isEqualTo(2_001);
    }

    @Test
    void clockGoingBackwards_isClampedInTheTree_likeInTheHistograms() {
        PerfRegistry registry = install(PerfConfig.builder());
        dev.perfkit.fixture.ClockJumps jumps = new dev.perfkit.fixture.ClockJumps();

        jumps.jumpProfiled(clock, -5_000);
        jumps.jumpProfiled(clock, 2_000);

        PathProfile path = registry.profile().paths().get(0);
        assertThat(path.calls()).isEqualTo(2);
        assertThat(path.totalNanos()).isEqualTo(2_000);
        assertThat(path.selfNanos()).isEqualTo(2_000);
    }

    @Test
    void threads_keepSeparateTrees_mergedOnRead() throws Exception {
        PerfRegistry registry = install(PerfConfig.builder());
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                Nested nested = new Nested(new ManualNanoClock());
                for (int i = 0; i < 1_000; i++) {
                    nested.outer();
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }

        Map<String, PathProfile> paths = registry.profile().paths().stream()
                .collect(Collectors.toMap(PathProfile::key, p -> p));
        assertThat(paths.get("nested.outer").calls()).isEqualTo(4_000);
        assertThat(paths.get("nested.outer;nested.inner").calls()).isEqualTo(12_000);
        assertThat(paths).doesNotContainKey("nested.inner");
    }

    @Test
    void callTreeOff_recordsLatencyButNoPaths() {
        PerfRegistry registry = install(PerfConfig.builder());
        registry.setCallTreeEnabled(false);
        new Nested(clock).outer();

        assertThat(registry.profile().isEmpty()).isTrue();
        assertThat(registry.snapshot("nested.inner").orElseThrow().count()).isEqualTo(3);
    }
}
