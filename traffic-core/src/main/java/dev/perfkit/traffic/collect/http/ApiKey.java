package dev.perfkit.traffic.collect.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A secret API key that never shows itself: {@link #toString()} prints {@code ****}, and {@link #mask(String)}
 * removes it (plain or URL-encoded) from any text before that text is logged or put into an exception message.
 * Immutable and thread-safe.
 */
public final class ApiKey {

    private static final ApiKey NONE = new ApiKey("");
    private static final String MASK = "****";

    private final String value;
    private final String encoded;

    private ApiKey(String value) {
        this.value = value;
        this.encoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A key; null or blank gives {@link #none()}. */
    public static ApiKey of(String value) {
        return value == null || value.isBlank() ? NONE : new ApiKey(value.strip());
    }

    /** No key (APIs that need none, such as the free Open-Meteo endpoint). */
    public static ApiKey none() {
        return NONE;
    }

    public boolean isPresent() {
        return !value.isEmpty();
    }

    /** The key for building a request. Never log or print it. */
    String reveal() {
        return value;
    }

    /** The text with every occurrence of the key replaced by {@code ****}; null stays null. */
    public String mask(String text) {
        if (text == null || value.isEmpty()) {
            return text;
        }
        return text.replace(value, MASK).replace(encoded, MASK);
    }

    @Override
    public String toString() {
        return isPresent() ? "ApiKey[" + MASK + "]" : "ApiKey[none]";
    }
}
