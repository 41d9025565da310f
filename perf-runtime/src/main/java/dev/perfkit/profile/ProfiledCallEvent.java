package dev.perfkit.profile;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The JFR event {@value #NAME}: one per {@code @Profiled} call while a flight recording with this event enabled is
 * running (the default settings enable it; nothing is created when no recording wants it).
 *
 * <p>Fields: {@code startTime} and {@code duration} (JFR's own, wall clock of the call), {@code eventThread}, and
 * {@code metric} (the metric name), {@code cpuTime} (thread CPU time of the call), {@code allocated} (bytes allocated
 * by the thread during the call) and {@code outcome} ({@code "success"} or the exception class name). No stack trace
 * is recorded. See it with {@code jfr print --events dev.perfkit.ProfiledCall recording.jfr}.
 */
@Name(ProfiledCallEvent.NAME)
@Label("Profiled Call")
@Category({"perfkit"})
@Description("A call of a method annotated @Profiled")
@StackTrace(false)
public final class ProfiledCallEvent extends jdk.jfr.Event {

    /** The event's name in recordings. */
    public static final String NAME = "dev.perfkit.ProfiledCall";

    @Label("Metric")
    @Description("Metric name of the profiled method")
    String metric;

    @Label("CPU Time")
    @Timespan(Timespan.NANOSECONDS)
    long cpuTime;

    @Label("Allocated")
    @DataAmount(DataAmount.BYTES)
    long allocated;

    @Label("Outcome")
    @Description("success, or the class name of the exception thrown")
    String outcome;

    ProfiledCallEvent() {
    }

    /** Internal: fills and commits an event begun at the call's entry. */
    static void finish(Object event, String metric, long cpuNanos, long allocatedBytes, Throwable failure) {
        ProfiledCallEvent e = (ProfiledCallEvent) event;
        e.end();
        if (e.shouldCommit()) {
            e.metric = metric;
            e.cpuTime = Math.max(0, cpuNanos);
            e.allocated = Math.max(0, allocatedBytes);
            e.outcome = failure == null ? "success" : failure.getClass().getName();
            e.commit();
        }
    }

    /** Internal: a begun event, for the profiled-call machinery. */
    static ProfiledCallEvent begin(Void unused) {
        ProfiledCallEvent e = new ProfiledCallEvent();
        e.begin();
        return e;
    }
}
