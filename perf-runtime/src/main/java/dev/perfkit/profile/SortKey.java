package dev.perfkit.profile;

import java.util.Locale;

/** Orders of the profile report, largest first. */
public enum SortKey {
    TOTAL, SELF, CALLS, CPU, ALLOC;

    /** Parses {@code total}, {@code self}, {@code calls}, {@code cpu} or {@code alloc}, case-insensitively. */
    public static SortKey parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sort key must be one of total, self, calls, cpu, alloc; was '"
                    + text + "'", e);
        }
    }
}
