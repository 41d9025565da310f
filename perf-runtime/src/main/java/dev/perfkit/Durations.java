package dev.perfkit;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsing and human formatting of durations in nanoseconds and of byte counts, as used in annotations' targets and in
 * every report. Stateless, thread-safe.
 */
public final class Durations {

    private static final Pattern DURATION = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*(ns|us|µs|ms|s|m)\\s*");

    private Durations() {
    }

    /**
     * Parses {@code "250ns"}, {@code "10us"}, {@code "1ms"}, {@code "1.5s"} or {@code "2m"} into nanoseconds.
     *
     * @throws IllegalArgumentException naming the value and the accepted forms when it is malformed, zero, or too
     *                                  large
     */
    public static long parseNanos(String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: expected a positive number and a "
                    + "unit (ns, us, ms, s, m), e.g. \"250us\" or \"1.5s\"");
        }
        BigDecimal amount = new BigDecimal(m.group(1));
        long unitNanos = switch (m.group(2)) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            default -> 60_000_000_000L;
        };
        BigDecimal nanos = amount.multiply(BigDecimal.valueOf(unitNanos));
        if (nanos.signum() <= 0 || nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 2)) > 0) {
            throw new IllegalArgumentException("'" + text + "' is out of range: a duration must be at least 1ns and "
                    + "at most " + (Long.MAX_VALUE / 2) + "ns");
        }
        return nanos.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
    }

    /** Formats nanoseconds with three significant digits in ns, us, ms or s, e.g. {@code "12.3 us"}. */
    public static String format(long nanos) {
        if (nanos < 1_000) {
            return nanos + " ns";
        }
        if (nanos < 1_000_000) {
            return scaled(nanos / 1e3, "us");
        }
        if (nanos < 1_000_000_000) {
            return scaled(nanos / 1e6, "ms");
        }
        return scaled(nanos / 1e9, "s");
    }

    /** Formats bytes with three significant digits in B, KiB, MiB or GiB. */
    public static String formatBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return scaled(bytes / 1024.0, "KiB");
        }
        if (bytes < 1024L * 1024 * 1024) {
            return scaled(bytes / (1024.0 * 1024), "MiB");
        }
        return scaled(bytes / (1024.0 * 1024 * 1024), "GiB");
    }

    private static String scaled(double value, String unit) {
        String pattern = value >= 100 ? "%.0f %s" : value >= 10 ? "%.1f %s" : "%.2f %s";
        return String.format(Locale.ROOT, pattern, value, unit);
    }
}
