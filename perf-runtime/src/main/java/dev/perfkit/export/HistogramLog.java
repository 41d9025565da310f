package dev.perfkit.export;

import dev.perfkit.MetricUnit;
import dev.perfkit.TimerSnapshot;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;

/**
 * HdrHistogram interval logs ({@code .hlog}): written with HdrHistogram's {@link HistogramLogWriter}, one tag per
 * timer, and readable by its {@link HistogramLogReader} and tools such as HistogramLogProcessor.
 *
 * <p>Before each interval histogram, an append writes one comment line, ignored by HdrHistogram's reader:
 * <pre>#perfkit timer=TAG unit=ns|bytes target=N sum=EXACT_SUM errors=CLASS:N,CLASS:N</pre>
 * with the timer's unit and target, the exact sum of the interval's values and its errors by exception class, so that
 * {@link #read(Path...)} rebuilds a full report. Logs of several processes, or several runs appended to one file, merge
 * exactly: reading adds the histograms, sums and error counts of the same tag.
 *
 * <p>Appending is not safe for two processes writing one file at once; use one file per process and read them
 * together. Stateless and thread-safe per file.
 */
public final class HistogramLog {

    private static final String META = "#perfkit timer=";

    private HistogramLog() {
    }

    /**
     * Appends interval snapshots to {@code file}, creating it (with the log header) if absent. Timers with no values
     * in the interval are skipped.
     */
    public static void append(Path file, List<TimerSnapshot> intervals) throws IOException {
        boolean fresh = !Files.exists(file) || Files.size(file) == 0;
        try (OutputStream stream = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
             PrintStream out = new PrintStream(stream, false, StandardCharsets.UTF_8)) {
            HistogramLogWriter writer = new HistogramLogWriter(out);
            if (fresh) {
                writer.outputLogFormatVersion();
                writer.outputComment("perfkit interval histograms; values in nanoseconds or bytes per tag");
                writer.outputLegend();
            }
            for (TimerSnapshot s : intervals) {
                if (s.count() == 0) {
                    continue;
                }
                StringBuilder meta = new StringBuilder(META).append(tag(s.name())).append(" unit=")
                        .append(s.unit().label()).append(" target=").append(s.id().target()).append(" sum=")
                        .append(s.total());
                if (!s.errorsByType().isEmpty()) {
                    meta.append(" errors=");
                    s.errorsByType().forEach((type, n) -> meta.append(tag(type).replace(":", "_")).append(':')
                            .append(n).append(','));
                    meta.setLength(meta.length() - 1);
                }
                out.println(meta);
                Histogram histogram = s.histogram();
                histogram.setTag(tag(s.name()));
                writer.outputIntervalHistogram(histogram);
            }
            out.flush();
        }
    }

    /**
     * Reads one or more logs and merges every interval of each tag into one cumulative snapshot per timer, in order of
     * first appearance. Counts, percentiles, min and max are exact up to the histogram's precision; the sum and the
     * errors by exception class are exact for intervals written with them (older logs: the sum is estimated from the
     * histogram's mean, errors read as 0). A partial last line (an append cut short by a killed process) is skipped,
     * together with its comment line.
     *
     * @throws IOException if a file cannot be read or is not a histogram log
     */
    public static List<TimerSnapshot> read(Path... files) throws IOException {
        Map<String, Merged> merged = new LinkedHashMap<>();
        for (Path file : files) {
            byte[] complete = completeLines(file);
            Map<String, List<String[]>> metaByTag = new LinkedHashMap<>();
            try (BufferedReader lines = new BufferedReader(new java.io.InputStreamReader(
                    new java.io.ByteArrayInputStream(complete), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith(META)) {
                        String[] parts = line.substring(META.length()).split(" ");
                        metaByTag.computeIfAbsent(parts[0], t -> new ArrayList<>()).add(parts);
                    }
                }
            }
            Map<String, Integer> intervalsByTag = new LinkedHashMap<>();
            HistogramLogReader reader = new HistogramLogReader(new java.io.ByteArrayInputStream(complete));
            try {
                for (EncodableHistogram h = reader.nextIntervalHistogram(); h != null;
                     h = reader.nextIntervalHistogram()) {
                    if (!(h instanceof Histogram histogram)) {
                        continue;
                    }
                    String tag = histogram.getTag() == null ? "untagged" : histogram.getTag();
                    int n = intervalsByTag.merge(tag, 1, Integer::sum);
                    List<String[]> metas = metaByTag.getOrDefault(tag, List.of());
                    // the n-th histogram of a tag follows the n-th comment line of that tag
                    merged.computeIfAbsent(tag, t -> new Merged()).add(histogram,
                            metas.size() >= n ? metas.get(n - 1) : null);
                }
            } catch (RuntimeException e) {
                throw new IOException(file + " is not a readable HdrHistogram log: " + e.getMessage(), e);
            } finally {
                reader.close();
            }
        }
        List<TimerSnapshot> snapshots = new ArrayList<>(merged.size());
        merged.forEach((tag, m) -> snapshots.add(m.snapshot(tag)));
        return snapshots;
    }

    /** The intervals of one tag read so far. */
    private static final class Merged {
        private Histogram histogram;
        private MetricUnit unit = MetricUnit.NANOSECONDS;
        private long target;
        private long sum;
        private final Map<String, Long> errorsByType = new java.util.TreeMap<>();

        void add(Histogram interval, String[] meta) {
            if (histogram == null) {
                histogram = interval.copy();
            } else {
                histogram.add(interval);
                histogram.setStartTimeStamp(Math.min(histogram.getStartTimeStamp(), interval.getStartTimeStamp()));
                histogram.setEndTimeStamp(Math.max(histogram.getEndTimeStamp(), interval.getEndTimeStamp()));
            }
            boolean hasSum = false;
            for (String part : meta == null ? new String[0] : meta) {
                if (part.equals("unit=bytes")) {
                    unit = MetricUnit.BYTES;
                } else if (part.startsWith("target=")) {
                    target = Long.parseLong(part.substring("target=".length()));
                } else if (part.startsWith("sum=")) {
                    sum += Long.parseLong(part.substring("sum=".length()));
                    hasSum = true;
                } else if (part.startsWith("errors=")) {
                    for (String entry : part.substring("errors=".length()).split(",")) {
                        int colon = entry.lastIndexOf(':');
                        errorsByType.merge(entry.substring(0, colon), Long.parseLong(entry.substring(colon + 1)),
                                Long::sum);
                    }
                }
            }
            if (!hasSum) {
                sum += Math.round(interval.getMean() * interval.getTotalCount());
            }
        }

        TimerSnapshot snapshot(String tag) {
            return TimerSnapshot.ofHistogram(tag, unit, target, histogram, sum, errorsByType);
        }
    }

    /**
     * The file up to its last newline: an append cut short (a process killed mid-write) leaves a partial last line,
     * which is skipped instead of failing the whole read.
     */
    private static byte[] completeLines(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        return end == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, end);
    }

    /** HdrHistogram tags may not contain commas or whitespace. */
    static String tag(String name) {
        return name.replaceAll("[,\\s]", "_");
    }
}
