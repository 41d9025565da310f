package dev.perfkit;

/** Whether a timer meets its target at the 99th percentile. */
public enum TargetStatus {
    /** p99 is at or below the target. */
    MET("met"),
    /** p99 is above the target. */
    MISSED("missed"),
    /** The timer has a target but recorded nothing yet. */
    NO_DATA("no data"),
    /** The timer has no target. */
    NO_TARGET("no target");

    private final String label;

    TargetStatus(String label) {
        this.label = label;
    }

    /** Lower-case words as printed in reports, e.g. {@code "no target"}. */
    public String label() {
        return label;
    }
}
