package dev.perfkit.examples.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Reads a retention window: {@code 30d}, {@code 12h}, {@code 90m}, ISO-8601 ({@code P30D}, {@code PT12H}), or
 * {@code off} (keep everything, read as null). Stateless.
 */
final class RetentionConverter implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern AMOUNT = Pattern.compile("(\\d{1,9})\\s*(d|h|m)");

    @Override
    public Duration convert(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        if (text.equals("off") || text.equals("none")) {
            return null;
        }
        Matcher m = AMOUNT.matcher(text);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "d" -> Duration.ofDays(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofMinutes(amount);
            };
        }
        try {
            return Duration.parse(text.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a retention window: expected e.g. "
                    + "30d, 12h, 90m, P30D or off");
        }
    }

    /** A window as the option reads it: {@code 30d}, {@code 12h}, {@code 90m}, else ISO-8601; {@code off} for null. */
    static String describe(Duration window) {
        if (window == null) {
            return "off";
        }
        if (window.toSeconds() % 86_400 == 0 && window.getNano() == 0) {
            return window.toDays() + "d";
        }
        if (window.toSeconds() % 3_600 == 0 && window.getNano() == 0) {
            return window.toHours() + "h";
        }
        if (window.toSeconds() % 60 == 0 && window.getNano() == 0) {
            return window.toMinutes() + "m";
        }
        return window.toString();
    }
}
