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
 * <p>Besides the histograms, each append writes comment lines ({@code #perfkit ...}, ignored by HdrHistogram's reader)
 * recording each timer's unit and target, so that {@link #read(Path)} can rebuild a full report. Logs of several
 * processes, or several runs appended to one file, merge exactly: reading adds histograms of the same tag.
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
                out.println(META + tag(s.name()) + " unit=" + s.unit().label() + " target=" + s.target());
                Histogram histogram = s.histogram();
                histogram.setTag(tag(s.name()));
                writer.outputIntervalHistogram(histogram);
            }
            out.flush();
        }
    }

    /**
     * Reads one or more logs and merges every interval of each tag into one cumulative snapshot per timer, in order of
     * first appearance. Counts, percentiles, min, max and sum (from the histogram) are exact up to the histogram's
     * precision; errors are not part of the log and read as 0. A partial last line (an append cut short by a killed
     * process) is skipped.
     *
     * @throws IOException if a file cannot be read or is not a histogram log
     */
    public static List<TimerSnapshot> read(Path... files) throws IOException {
        Map<String, Histogram> merged = new LinkedHashMap<>();
        Map<String, String[]> meta = new LinkedHashMap<>();
        for (Path file : files) {
            try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith(META)) {
                        String[] parts = line.substring(META.length()).split(" ");
                        meta.put(parts[0], parts);
                    }
                }
            }
            HistogramLogReader reader = new HistogramLogReader(new java.io.ByteArrayInputStream(completeLines(file)));
            try {
                for (EncodableHistogram h = reader.nextIntervalHistogram(); h != null;
                     h = reader.nextIntervalHistogram()) {
                    if (!(h instanceof Histogram histogram)) {
                        continue;
                    }
                    String tag = histogram.getTag() == null ? "untagged" : histogram.getTag();
                    Histogram sum = merged.get(tag);
                    if (sum == null) {
                        merged.put(tag, histogram.copy());
                    } else {
                        sum.add(histogram);
                        sum.setStartTimeStamp(Math.min(sum.getStartTimeStamp(), histogram.getStartTimeStamp()));
                        sum.setEndTimeStamp(Math.max(sum.getEndTimeStamp(), histogram.getEndTimeStamp()));
                    }
                }
            } catch (RuntimeException e) {
                throw new IOException(file + " is not a readable HdrHistogram log: " + e.getMessage(), e);
            } finally {
                reader.close();
            }
        }
        List<TimerSnapshot> snapshots = new ArrayList<>(merged.size());
        merged.forEach((tag, histogram) -> {
            String[] parts = meta.getOrDefault(tag, new String[] {tag});
            MetricUnit unit = MetricUnit.NANOSECONDS;
            long target = 0;
            for (String part : parts) {
                if (part.equals("unit=bytes")) {
                    unit = MetricUnit.BYTES;
                } else if (part.startsWith("target=")) {
                    target = Long.parseLong(part.substring("target=".length()));
                }
            }
            snapshots.add(fromHistogram(tag, unit, target, histogram));
        });
        return snapshots;
    }

    /** A snapshot of a histogram read back from a log; the sum is estimated from the histogram's mean. */
    static TimerSnapshot fromHistogram(String name, MetricUnit unit, long target, Histogram h) {
        return TimerSnapshot.ofHistogram(name, unit, target, h, Math.round(h.getMean() * h.getTotalCount()));
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
