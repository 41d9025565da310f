package dev.perfkit.export;

import dev.perfkit.MetricUnit;
import dev.perfkit.TimerSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HdrHistogram interval logs ({@code .hlog}): written in the format of HdrHistogram's {@link HistogramLogWriter}, one
 * tag per timer, and readable by its {@link HistogramLogReader} and tools such as HistogramLogProcessor as long as no
 * line is damaged (HdrHistogram's reader stops at the first line it cannot parse; {@link #readChecked} skips it).
 *
 * <p>Before each interval histogram, an append writes one comment line, ignored by HdrHistogram's reader:
 * <pre>#perfkit timer=TAG unit=ns|bytes target=N sum=EXACT_SUM errors=CLASS:N,CLASS:N crc=CRC32</pre>
 * with the timer's unit and target, the exact sum of the interval's values, its errors by exception class and the
 * CRC-32 (hex) of the histogram line that follows, so that {@link #read(Path...)} rebuilds a full report and detects a
 * damaged record. Logs of several processes, or several runs appended to one file, merge exactly: reading adds the
 * histograms, sums and error counts of the same tag.
 *
 * <p>Crash safety: an append is built in memory, written with one write to the end of the file and forced to the
 * device before it returns, so a record is whole or absent except for the last one of an append cut short by a crash.
 * Such a torn line never glues onto the next append: an append to a file that does not end with a newline starts on a
 * fresh line. The reader skips a damaged record (a line that does not parse, a bad number, a CRC mismatch, a torn last
 * line) wherever it is and keeps reading.
 *
 * <p>Appending is not safe for two processes writing one file at once (their records may interleave by line, never
 * inside one); give a file one writer, or one file per process read together. Stateless and thread-safe per file.
 */
public final class HistogramLog {

    private static final Logger LOG = LoggerFactory.getLogger(HistogramLog.class);
    private static final String META = "#perfkit timer=";

    private HistogramLog() {
    }

    /**
     * A record that {@link #readChecked} skipped.
     *
     * @param file   the log
     * @param line   1-based line number of the damaged line
     * @param reason what is wrong with it
     */
    public record Damage(Path file, long line, String reason) {

        /** {@code FILE line N: reason}. */
        public String message() {
            return file + " line " + line + ": " + reason;
        }
    }

    /**
     * What {@link #readChecked} read: one merged snapshot per timer, and the records it skipped.
     *
     * @param snapshots merged per tag, in order of first appearance
     * @param damaged   records skipped, in file and line order
     */
    public record Contents(List<TimerSnapshot> snapshots, List<Damage> damaged) {

        public Contents {
            snapshots = List.copyOf(snapshots);
            damaged = List.copyOf(damaged);
        }
    }

    /**
     * Appends interval snapshots to {@code file}, creating it (with the log header) if absent, in one write followed
     * by a {@code force}. Timers with no values in the interval are skipped; with none left nothing is written.
     *
     * @throws IOException when the file cannot be written or forced (for example "No space left on device"); the
     *                     message names the file
     */
    public static void append(Path file, List<TimerSnapshot> intervals) throws IOException {
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(records, false, StandardCharsets.UTF_8);
        HistogramLogWriter writer = new HistogramLogWriter(out);
        ByteArrayOutputStream lineBytes = new ByteArrayOutputStream();
        PrintStream lineOut = new PrintStream(lineBytes, false, StandardCharsets.UTF_8);
        HistogramLogWriter lineWriter = new HistogramLogWriter(lineOut);
        for (TimerSnapshot s : intervals) {
            if (s.count() == 0) {
                continue;
            }
            Histogram histogram = s.histogram();
            histogram.setTag(tag(s.name()));
            lineBytes.reset();
            lineWriter.outputIntervalHistogram(histogram);
            lineOut.flush();
            String histogramLine = lineBytes.toString(StandardCharsets.UTF_8).stripTrailing();
            StringBuilder meta = new StringBuilder(META).append(tag(s.name())).append(" unit=")
                    .append(s.unit().label()).append(" target=").append(s.id().target()).append(" sum=")
                    .append(s.total());
            if (!s.errorsByType().isEmpty()) {
                meta.append(" errors=");
                s.errorsByType().forEach((type, n) -> meta.append(tag(type).replace(":", "_")).append(':')
                        .append(n).append(','));
                meta.setLength(meta.length() - 1);
            }
            meta.append(" crc=").append(crc(histogramLine));
            out.print(meta);
            out.print('\n');
            out.print(histogramLine);
            out.print('\n');
        }
        out.flush();
        if (records.size() == 0) {
            return;
        }
        long size = Files.exists(file) ? Files.size(file) : 0;
        boolean fresh = size == 0;
        ByteArrayOutputStream whole = new ByteArrayOutputStream(records.size() + 256);
        if (fresh) {
            PrintStream header = new PrintStream(whole, false, StandardCharsets.UTF_8);
            HistogramLogWriter headerWriter = new HistogramLogWriter(header);
            headerWriter.outputLogFormatVersion();
            headerWriter.outputComment("perfkit interval histograms; values in nanoseconds or bytes per tag");
            headerWriter.outputLegend();
            header.flush();
        } else if (!endsWithNewline(file, size)) {
            whole.write('\n'); // the last append was cut short: never continue its torn line
        }
        records.writeTo(whole);
        ByteBuffer bytes = ByteBuffer.wrap(whole.toByteArray());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new IOException("could not append to " + file + ": " + describe(e), e);
        }
    }

    /**
     * Reads one or more logs like {@link #readChecked}, logging each damaged record at WARN, and returns the merged
     * snapshots.
     *
     * @throws IOException if a file cannot be read
     */
    public static List<TimerSnapshot> read(Path... files) throws IOException {
        Contents contents = readChecked(files);
        contents.damaged().forEach(d -> LOG.warn("skipped a damaged record: {}", d.message()));
        return contents.snapshots();
    }

    /**
     * Reads one or more logs and merges every interval of each tag into one cumulative snapshot per timer, in order of
     * first appearance. Counts, percentiles, min and max are exact up to the histogram's precision; the sum and the
     * errors by exception class are exact for intervals written with them (older logs: the sum is estimated from the
     * histogram's mean, errors read as 0). A damaged record anywhere (a line that does not parse, a bad number, a CRC
     * that does not match, a last line cut short) is skipped, together with its comment line, and reported in
     * {@link Contents#damaged()}; the reading goes on with the next line.
     *
     * @throws IOException if a file cannot be read
     */
    public static Contents readChecked(Path... files) throws IOException {
        Map<String, Merged> merged = new LinkedHashMap<>();
        List<Damage> damaged = new ArrayList<>();
        for (Path file : files) {
            new LogParser(file, Files.readAllBytes(file), merged, damaged).parse();
        }
        List<TimerSnapshot> snapshots = new ArrayList<>(merged.size());
        merged.forEach((tag, m) -> snapshots.add(m.snapshot(tag)));
        return new Contents(snapshots, damaged);
    }

    /**
     * Reads a log line by line. Design note: each record is a {@code #perfkit} comment line followed by its histogram
     * line; the pair is taken or skipped as a whole. A histogram line without a comment (logs written by other tools)
     * is taken with its sum estimated. Nothing depends on the position of a record, so one damaged line costs only the
     * record it belongs to.
     */
    private static final class LogParser {
        private final Path file;
        private final byte[] bytes;
        private final Map<String, Merged> merged;
        private final List<Damage> damaged;
        private Meta pending;

        LogParser(Path file, byte[] bytes, Map<String, Merged> merged, List<Damage> damaged) {
            this.file = file;
            this.bytes = bytes;
            this.merged = merged;
            this.damaged = damaged;
        }

        void parse() {
            long lineNumber = 0;
            int start = 0;
            while (start < bytes.length) {
                int end = start;
                while (end < bytes.length && bytes[end] != '\n') {
                    end++;
                }
                lineNumber++;
                String line = new String(bytes, start, end - start, StandardCharsets.UTF_8);
                if (end == bytes.length) {
                    if (!line.isBlank()) {
                        skipPending();
                        damaged.add(new Damage(file, lineNumber, "incomplete last line (an append cut short)"));
                    }
                } else {
                    line(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line, lineNumber);
                }
                start = end + 1;
            }
            skipPending();
        }

        private void line(String line, long lineNumber) {
            if (line.isEmpty()) {
                return;
            }
            if (line.startsWith(META)) {
                skipPending();
                try {
                    pending = Meta.parse(line.substring(META.length()), lineNumber);
                } catch (IllegalArgumentException e) {
                    damaged.add(new Damage(file, lineNumber, e.getMessage()));
                    pending = Meta.DAMAGED;
                }
                return;
            }
            if (line.startsWith("#") || line.startsWith("\"StartTimestamp\"")) {
                return;
            }
            Meta meta = pending;
            pending = null;
            Histogram histogram;
            try {
                histogram = parseHistogramLine(line);
            } catch (RuntimeException e) {
                damaged.add(new Damage(file, lineNumber, meta == null || meta == Meta.DAMAGED
                        ? "not a histogram line (" + e.getMessage() + ")"
                        : "histogram line of the record at line " + meta.line + " does not parse (" + e.getMessage()
                        + ")"));
                return;
            }
            if (meta == Meta.DAMAGED) {
                return; // its comment line was reported
            }
            String tag = histogram.getTag() == null ? "untagged" : histogram.getTag();
            if (meta != null && !meta.tag.equals(tag)) {
                damaged.add(new Damage(file, meta.line, "record of " + meta.tag + " has no histogram line"));
                meta = null;
            }
            if (meta != null && meta.crc != null && !meta.crc.equals(crc(line))) {
                damaged.add(new Damage(file, lineNumber, "histogram line of " + tag + " does not match the CRC "
                        + meta.crc + " of line " + meta.line));
                return;
            }
            merged.computeIfAbsent(tag, t -> new Merged()).add(histogram, meta);
        }

        private void skipPending() {
            if (pending != null && pending != Meta.DAMAGED) {
                damaged.add(new Damage(file, pending.line, "record of " + pending.tag + " has no histogram line"));
            }
            pending = null;
        }
    }

    /** A histogram line as HdrHistogram writes it: {@code [Tag=T,]start,length,max,base64}. */
    static Histogram parseHistogramLine(String line) {
        String rest = line;
        String tag = null;
        if (rest.startsWith("Tag=")) {
            int comma = rest.indexOf(',');
            if (comma < 0) {
                throw new IllegalArgumentException("a tag without fields");
            }
            tag = rest.substring("Tag=".length(), comma);
            rest = rest.substring(comma + 1);
        }
        String[] fields = rest.split(",", -1);
        if (fields.length != 4) {
            throw new IllegalArgumentException("expected 4 comma-separated fields after the tag, found "
                    + fields.length);
        }
        double startSec = number(fields[0], "start timestamp");
        double lengthSec = number(fields[1], "interval length");
        number(fields[2], "interval max");
        byte[] compressed;
        try {
            compressed = Base64.getDecoder().decode(fields[3]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the histogram is not base64: " + e.getMessage(), e);
        }
        Histogram histogram;
        try {
            histogram = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(compressed), 0);
        } catch (DataFormatException | RuntimeException e) {
            throw new IllegalArgumentException("the compressed histogram does not decode: " + e, e);
        }
        histogram.setTag(tag);
        histogram.setStartTimeStamp((long) (startSec * 1000));
        histogram.setEndTimeStamp((long) ((startSec + lengthSec) * 1000));
        return histogram;
    }

    private static double number(String text, String field) {
        try {
            double value = Double.parseDouble(text);
            if (!Double.isFinite(value)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " '" + text + "' is not a number", e);
        }
    }

    /** The comment line of a record, checked. */
    private record Meta(String tag, long line, MetricUnit unit, long target, Long sum, Map<String, Long> errors,
                        String crc) {

        static final Meta DAMAGED = new Meta("", 0, MetricUnit.NANOSECONDS, 0, null, Map.of(), null);

        static Meta parse(String text, long line) {
            String[] parts = text.split(" ");
            String tag = parts[0];
            if (tag.isEmpty()) {
                throw new IllegalArgumentException("#perfkit comment without a timer name");
            }
            MetricUnit unit = MetricUnit.NANOSECONDS;
            long target = 0;
            Long sum = null;
            Map<String, Long> errors = new java.util.TreeMap<>();
            String crc = null;
            for (int i = 1; i < parts.length; i++) {
                String part = parts[i];
                if (part.startsWith("unit=")) {
                    unit = part.equals("unit=bytes") ? MetricUnit.BYTES : MetricUnit.NANOSECONDS;
                } else if (part.startsWith("target=")) {
                    target = count(part.substring("target=".length()), "target", tag);
                } else if (part.startsWith("sum=")) {
                    sum = count(part.substring("sum=".length()), "sum", tag);
                } else if (part.startsWith("errors=")) {
                    for (String entry : part.substring("errors=".length()).split(",")) {
                        int colon = entry.lastIndexOf(':');
                        if (colon <= 0) {
                            throw new IllegalArgumentException("errors of " + tag + ": '" + entry
                                    + "' is not CLASS:COUNT");
                        }
                        errors.merge(entry.substring(0, colon), count(entry.substring(colon + 1), "error count", tag),
                                Long::sum);
                    }
                } else if (part.startsWith("crc=")) {
                    crc = part.substring("crc=".length());
                    if (!crc.matches("[0-9a-f]{8}")) {
                        throw new IllegalArgumentException("crc of " + tag + ": '" + crc
                                + "' is not 8 hex digits");
                    }
                } else {
                    throw new IllegalArgumentException("#perfkit comment of " + tag + ": unknown field '" + part
                            + "'");
                }
            }
            return new Meta(tag, line, unit, target, sum, errors, crc);
        }

        /** A non-negative long, or why not. */
        private static long count(String value, String field, String tag) {
            try {
                long parsed = Long.parseLong(value);
                if (parsed >= 0) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(field + " of " + tag + ": '" + value
                    + "' is not an integer from 0 to " + Long.MAX_VALUE);
        }
    }

    /** The intervals of one tag read so far. */
    private static final class Merged {
        private Histogram histogram;
        private MetricUnit unit = MetricUnit.NANOSECONDS;
        private long target;
        private long sum;
        private final Map<String, Long> errorsByType = new java.util.TreeMap<>();

        void add(Histogram interval, Meta meta) {
            if (histogram == null) {
                histogram = interval.copy();
            } else {
                histogram.add(interval);
                histogram.setStartTimeStamp(Math.min(histogram.getStartTimeStamp(), interval.getStartTimeStamp()));
                histogram.setEndTimeStamp(Math.max(histogram.getEndTimeStamp(), interval.getEndTimeStamp()));
            }
            if (meta != null) {
                unit = meta.unit();
                target = meta.target();
                meta.errors().forEach((type, n) -> errorsByType.merge(type, n, Long::sum));
            }
            if (meta != null && meta.sum() != null) {
                sum += meta.sum();
            } else {
                sum += Math.round(interval.getMean() * interval.getTotalCount());
            }
        }

        TimerSnapshot snapshot(String tag) {
            return TimerSnapshot.ofHistogram(tag, unit, target, histogram, sum, errorsByType);
        }
    }

    private static boolean endsWithNewline(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            return channel.read(last, size - 1) == 1 && last.get(0) == '\n';
        }
    }

    /** CRC-32 of a line's UTF-8 bytes, 8 lower-case hex digits. */
    static String crc(String line) {
        CRC32 crc = new CRC32();
        crc.update(line.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }

    /** An I/O error's message, or its class when it has none. */
    private static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** HdrHistogram tags may not contain commas or whitespace. */
    static String tag(String name) {
        return name.replaceAll("[,\\s]", "_");
    }
}
