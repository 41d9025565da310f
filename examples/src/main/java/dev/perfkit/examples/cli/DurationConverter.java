package dev.perfkit.examples.cli;

import dev.perfkit.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** Reads {@code 0}, {@code 500ms}, {@code 5s}, {@code 2m} (or ISO-8601 {@code PT5S}) as a duration. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        String text = value.trim();
        if (text.matches("0+(\\.0+)?\\s*(ns|us|ms|s|m)?")) {
            return Duration.ZERO;
        }
        if (text.startsWith("P") || text.startsWith("p")) {
            return Duration.parse(text);
        }
        try {
            return Duration.ofNanos(Durations.parseNanos(text));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
