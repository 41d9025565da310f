package dev.perfkit;

/** The unit of the values in a timer's histogram. */
public enum MetricUnit {
    /** Durations: wall-clock latency and CPU time. */
    NANOSECONDS("nanoseconds"),
    /** Memory: bytes allocated. */
    BYTES("bytes");

    private final String label;

    MetricUnit(String label) {
        this.label = label;
    }

    /** Lower-case name as used in exports, e.g. {@code "nanoseconds"}. */
    public String label() {
        return label;
    }
}
