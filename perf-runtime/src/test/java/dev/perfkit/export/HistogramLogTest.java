package dev.perfkit.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perfkit.IntervalReader;
import dev.perfkit.PerfRegistry;
import dev.perfkit.PerfTimer;
import dev.perfkit.TimerSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistogramLogTest {

    @Test
    void intervals_areReadBackByHdrHistogramsOwnReader_oneTagPerTimer(@TempDir Path dir) throws Exception {
        PerfRegistry registry = new PerfRegistry();
        IntervalReader reader = registry.newIntervalReader();
        Path log = dir.resolve("metrics.hlog");
        registry.timer("a.first").record(1_000);
        registry.timer("b.second").record(2_000);
        HistogramLog.append(log, reader.read());
        registry.timer("a.first").record(3_000);
        HistogramLog.append(log, reader.read());

        Map<String, Long> countsByTag = new HashMap<>();
        HistogramLogReader hdr = new HistogramLogReader(log.toFile());
        int intervals = 0;
        for (EncodableHistogram h = hdr.nextIntervalHistogram(); h != null; h = hdr.nextIntervalHistogram()) {
            countsByTag.merge(h.getTag(), ((Histogram) h).getTotalCount(), Long::sum);
            intervals++;
        }
        hdr.close();

        assertThat(intervals).isEqualTo(3);
        assertThat(countsByTag).containsEntry("a.first", 2L).containsEntry("b.second", 1L);
    }

    @Test
    void appendCutShort_partialLastLineIsSkipped_andEverythingBeforeItReads(@TempDir Path dir) throws Exception {
        PerfRegistry registry = new PerfRegistry();
        IntervalReader reader = registry.newIntervalReader();
        Path log = dir.resolve("metrics.hlog");
        registry.timer("op").record(1_000);
        registry.timer("op").record(2_000);
        HistogramLog.append(log, reader.read());
        java.nio.file.Files.writeString(log, "0.127,1.000,0.002,HISTFAAAACh4nJNpmSzMwMDAxQABzFCaEUzKf4DJAK", 
                java.nio.file.StandardOpenOption.APPEND);

        List<TimerSnapshot> read = HistogramLog.read(log);

        assertThat(read).singleElement().satisfies(s -> assertThat(s.count()).isEqualTo(2));
    }

    @Test
    void logsOfTwoProcesses_mergeIntoExactCombinedPercentiles(@TempDir Path dir) throws Exception {
        Histogram combined = new Histogram(1, 3_600_000_000_000L, 2);
        List<Path> logs = new ArrayList<>();
        for (int process = 0; process < 2; process++) {
            PerfRegistry registry = new PerfRegistry();
            PerfTimer timer = registry.timerBuilder("op").target(Duration.ofMillis(5)).register();
            IntervalReader reader = registry.newIntervalReader();
            SplittableRandom random = new SplittableRandom(process);
            Path log = dir.resolve("process-" + process + ".hlog");
            for (int interval = 0; interval < 5; interval++) {
                for (int i = 0; i < 2_000; i++) {
                    // the two processes have different distributions
                    long value = (long) ((process + 1) * 1_000 * Math.exp(random.nextGaussian()));
                    timer.record(value);
                    combined.recordValue(value);
                }
                HistogramLog.append(log, reader.read());
            }
            logs.add(log);
        }

        TimerSnapshot merged = HistogramLog.read(logs.toArray(Path[]::new)).get(0);

        assertThat(merged.name()).isEqualTo("op");
        assertThat(merged.count()).isEqualTo(20_000);
        assertThat(merged.p99()).isEqualTo(combined.getValueAtPercentile(99));
        assertThat(merged.p50()).isEqualTo(combined.getValueAtPercentile(50));
        assertThat(merged.max()).isEqualTo(combined.getMaxValue());
        assertThat(merged.id().target()).isEqualTo(5_000_000);
    }

    @Test
    void logsOfThreeProcesses_keepExactSumAndErrorsByClass_throughAppendAndMerge(@TempDir Path dir) throws Exception {
        long expectedSum = 0;
        long expectedCount = 0;
        Map<String, Long> expectedErrors = new HashMap<>();
        List<Path> logs = new ArrayList<>();
        for (int process = 0; process < 3; process++) {
            PerfRegistry registry = new PerfRegistry();
            PerfTimer timer = registry.timer("op");
            IntervalReader reader = registry.newIntervalReader();
            SplittableRandom random = new SplittableRandom(100 + process);
            Path log = dir.resolve("process-" + process + ".hlog");
            for (int interval = 0; interval < 4; interval++) {
                for (int i = 0; i < 500; i++) {
                    long value = 1_000 + random.nextLong(50_000_000);
                    expectedSum += value;
                    expectedCount++;
                    if (i % 50 == process) {
                        RuntimeException failure = i % 100 == process ? new IllegalStateException()
                                : new java.io.UncheckedIOException(new java.io.IOException());
                        timer.recordError(value, failure);
                        expectedErrors.merge(failure.getClass().getName(), 1L, Long::sum);
                    } else {
                        timer.record(value);
                    }
                }
                HistogramLog.append(log, reader.read());
            }
            logs.add(log);
        }

        TimerSnapshot merged = HistogramLog.read(logs.toArray(Path[]::new)).get(0);

        assertThat(merged.count()).isEqualTo(expectedCount);
        assertThat(merged.total()).isEqualTo(expectedSum);
        assertThat(merged.errorsByType()).isEqualTo(expectedErrors);
        assertThat(merged.errors()).isEqualTo(expectedErrors.values().stream().mapToLong(Long::longValue).sum());
        // HdrHistogram's own reader still reads every interval of every file
        long hdrCount = 0;
        for (Path log : logs) {
            HistogramLogReader hdr = new HistogramLogReader(log.toFile());
            for (EncodableHistogram h = hdr.nextIntervalHistogram(); h != null; h = hdr.nextIntervalHistogram()) {
                hdrCount += ((Histogram) h).getTotalCount();
            }
            hdr.close();
        }
        assertThat(hdrCount).isEqualTo(expectedCount);
        assertThat(TextReport.render(List.of(merged))).containsPattern("errors\\n")
                .contains(merged.errors() + " (");
    }

    @Test
    void appendCutShort_theCommentOfTheLostIntervalIsNotCounted(@TempDir Path dir) throws Exception {
        PerfRegistry registry = new PerfRegistry();
        IntervalReader reader = registry.newIntervalReader();
        Path log = dir.resolve("metrics.hlog");
        registry.timer("op").recordError(1_000, new IllegalStateException());
        HistogramLog.append(log, reader.read());
        registry.timer("op").recordError(7_000, new IllegalStateException());
        HistogramLog.append(log, reader.read());
        String text = java.nio.file.Files.readString(log);
        java.nio.file.Files.writeString(log, text.substring(0, text.length() - 10)); // the last histogram, cut

        TimerSnapshot read = HistogramLog.read(log).get(0);

        assertThat(read.count()).isEqualTo(1);
        assertThat(read.total()).isEqualTo(1_000);
        assertThat(read.errors()).isEqualTo(1);
    }

    @Test
    void logWrittenBeforeSumsAndErrors_stillReads_withTheSumEstimatedFromTheMean(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("old.hlog");
        Histogram histogram = new Histogram(1, 3_600_000_000_000L, 2);
        histogram.recordValue(1_000);
        histogram.recordValue(3_000);
        histogram.setTag("op");
        try (java.io.PrintStream out = new java.io.PrintStream(log.toFile(), java.nio.charset.StandardCharsets.UTF_8)) {
            org.HdrHistogram.HistogramLogWriter writer = new org.HdrHistogram.HistogramLogWriter(out);
            writer.outputLogFormatVersion();
            writer.outputLegend();
            out.println("#perfkit timer=op unit=ns target=0");
            writer.outputIntervalHistogram(histogram);
        }

        TimerSnapshot read = HistogramLog.read(log).get(0);

        assertThat(read.count()).isEqualTo(2);
        assertThat(read.total()).isEqualTo(Math.round(histogram.getMean() * 2));
        assertThat(read.errors()).isZero();
    }

    @Test
    void appendAfterATornLastLine_startsOnAFreshLine_andOnlyTheTornRecordIsSkipped(@TempDir Path dir)
            throws Exception {
        PerfRegistry registry = new PerfRegistry();
        IntervalReader reader = registry.newIntervalReader();
        Path log = dir.resolve("metrics.hlog");
        registry.timer("op").record(1_000);
        HistogramLog.append(log, reader.read());
        registry.timer("op").record(2_000);
        HistogramLog.append(log, reader.read());
        String text = java.nio.file.Files.readString(log);
        java.nio.file.Files.writeString(log, text.substring(0, text.length() - 10)); // killed inside the 2nd append
        long tornLine = text.substring(0, text.length() - 10).lines().count();
        registry.timer("op").record(4_000);
        HistogramLog.append(log, reader.read());

        HistogramLog.Contents contents = HistogramLog.readChecked(log);

        assertThat(contents.snapshots().get(0).count()).isEqualTo(2);
        assertThat(contents.snapshots().get(0).total()).isEqualTo(5_000);
        assertThat(contents.damaged()).hasSize(1);
        assertThat(contents.damaged().get(0).line()).isEqualTo(tornLine);
        assertThat(contents.damaged().get(0).message()).startsWith(log + " line " + tornLine + ": ");
    }

    @Test
    void badNumberInTheMiddle_skipsThatRecordOnly_namingTheLine(@TempDir Path dir) throws Exception {
        Path log = threeIntervals(dir);
        List<String> lines = new ArrayList<>(java.nio.file.Files.readAllLines(log));
        int second = indexOfNth(lines, "#perfkit timer=op ", 2);
        lines.set(second, lines.get(second).replace("sum=2000", "sum=20x0"));
        java.nio.file.Files.write(log, lines);

        HistogramLog.Contents contents = HistogramLog.readChecked(log);

        assertThat(contents.snapshots().get(0).count()).isEqualTo(2);
        assertThat(contents.snapshots().get(0).total()).isEqualTo(1_000 + 4_000);
        assertThat(contents.damaged()).extracting(HistogramLog.Damage::line).containsExactly(second + 1L);
        assertThat(contents.damaged().get(0).reason()).contains("sum of op: '20x0' is not an integer");
    }

    @Test
    void randomBytesInsideAHistogramLine_skipThatRecordOnly(@TempDir Path dir) throws Exception {
        Path log = threeIntervals(dir);
        List<String> lines = new ArrayList<>(java.nio.file.Files.readAllLines(log));
        int histogramLine = indexOfNth(lines, "#perfkit timer=op ", 2) + 1;
        String line = lines.get(histogramLine);
        SplittableRandom random = new SplittableRandom(7);
        StringBuilder noise = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            noise.append((char) ('!' + random.nextInt(90)));
        }
        lines.set(histogramLine, line.substring(0, line.length() / 2) + noise + line.substring(line.length() / 2));
        java.nio.file.Files.write(log, lines);

        HistogramLog.Contents contents = HistogramLog.readChecked(log);

        assertThat(contents.snapshots().get(0).count()).isEqualTo(2);
        assertThat(contents.snapshots().get(0).total()).isEqualTo(1_000 + 4_000);
        assertThat(contents.damaged()).extracting(HistogramLog.Damage::line).containsExactly(histogramLine + 1L);
    }

    @Test
    void aCleanLogIsReadTheSameByHdrHistogramsReader(@TempDir Path dir) throws Exception {
        Path log = threeIntervals(dir);
        long total = 0;
        HistogramLogReader hdr = new HistogramLogReader(log.toFile());
        for (EncodableHistogram h = hdr.nextIntervalHistogram(); h != null; h = hdr.nextIntervalHistogram()) {
            total += ((Histogram) h).getTotalCount();
        }
        hdr.close();

        assertThat(total).isEqualTo(3);
        assertThat(HistogramLog.readChecked(log).damaged()).isEmpty();
    }

    @Test
    void append_toAFullDevice_throwsNamingTheFileAndTheCause(@TempDir Path dir) throws Exception {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(full), "no /dev/full here");
        Path log = java.nio.file.Files.createSymbolicLink(dir.resolve("metrics.hlog"), full);
        PerfRegistry registry = new PerfRegistry();
        IntervalReader reader = registry.newIntervalReader();
        registry.timer("op").record(1_000);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HistogramLog.append(log, reader.read()))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining(log.toString()).hasMessageContaining("No space left on device");
    }

    /** A log with three intervals of timer {@code op}: 1000, 2000 and 4000 ns. */
    private static Path threeIntervals(Path dir) throws Exception {
        PerfRegistry registry = new PerfRegistry();
        IntervalReader reader = registry.newIntervalReader();
        Path log = dir.resolve("metrics.hlog");
        for (long value : new long[] {1_000, 2_000, 4_000}) {
            registry.timer("op").record(value);
            HistogramLog.append(log, reader.read());
        }
        return log;
    }

    private static int indexOfNth(List<String> lines, String prefix, int n) {
        int seen = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix) && ++seen == n) {
                return i;
            }
        }
        throw new AssertionError("no " + n + "th line starting with " + prefix);
    }
}
