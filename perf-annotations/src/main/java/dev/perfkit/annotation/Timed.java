package dev.perfkit.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Records the wall-clock latency of every call of the annotated method into a latency histogram.
 *
 * <p>Placed on a type, it applies to every {@code public} method declared by that type (not constructors, not
 * inherited methods that the type does not override). An annotation on a method wins over one on its type.
 *
 * <p><b>What is recorded.</b> One value per call: nanoseconds from entry to return or throw, measured with
 * {@link System#nanoTime()}. A call that throws is recorded too and counted as an error under the exception's class;
 * the caller receives the very same exception instance with its stack trace untouched. When the method returns a
 * {@link java.util.concurrent.CompletionStage}, the call is timed until that stage completes, and an exceptional
 * completion counts as an error; the caller receives the same stage instance.
 *
 * <p><b>What is honoured.</b> The annotation is read from the method that is executed (the woven join point):
 * <ul>
 *   <li>on a method of a class (directly, or through a type-level annotation on the declaring class);</li>
 *   <li>not from interface methods or overridden superclass methods: annotate the implementation, as with other
 *       AspectJ-woven annotations (Java does not inherit method annotations). {@link Inherited} only lets a
 *       type-level annotation mark subclasses for tools; the aspects match the declaring type;</li>
 *   <li>meta-annotations are not followed: an annotation annotated with {@code @Timed} does not time its users.</li>
 * </ul>
 *
 * <p>Nothing happens unless the code is woven by perf-runtime's aspects, at compile time (aspectj-maven-plugin with
 * perf-runtime as an aspect library) or at load time ({@code -javaagent:aspectjweaver.jar}).
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Timed {

    /**
     * Metric name, lower-case words separated by dots (e.g. {@code "storage.save"}). Empty (the default) derives
     * {@code <simple class name>.<method name>} in lower case, e.g. {@code "trafficstore.save"}. On a type, a non-empty
     * value is a prefix: each method is named {@code <value>.<method name>}.
     */
    String value() default "";

    /** Human-readable description, exported where the format has a place for it. */
    String description() default "";

    /**
     * Optional latency target that a call should meet at the 99th percentile, as a number and a unit:
     * {@code "250ns"}, {@code "10us"}, {@code "1ms"}, {@code "1.5s"} ({@code ns}, {@code us}, {@code ms}, {@code s},
     * {@code m}). Empty means no target. Calls slower than the target are also logged (rate-limited) at WARN.
     * An unparsable or non-positive value fails when the join point is first resolved, with an
     * {@link IllegalArgumentException} naming the method and the value; the woven method itself still runs.
     */
    String target() default "";

    /**
     * Extra static tags as {@code "key=value"} pairs, e.g. {@code {"layer=storage", "db=sqlite"}}. Keys are
     * lower-case identifiers; a malformed pair fails like a bad {@link #target()}.
     */
    String[] tags() default {};

    /**
     * Sampled timing for tiny hot methods: the latency is measured (two clock reads and one histogram record) for one
     * call in {@code sampleOneIn}, each call chosen at random independently of its latency; the other calls cost one
     * random draw and one striped counter increment. The first 64 calls of the method are all measured, so that a
     * method called rarely still shows latencies. The call count and the error count stay exact
     * ({@code TimerSnapshot.count()}, {@code errors()}); percentiles, min and max come from the sampled latencies
     * ({@code TimerSnapshot.sampledCount()} of them), and the total is the sampled total scaled to every call.
     * A power of two in [1, 2^30]; 1 (the default) times every call. Any other value fails like a bad
     * {@link #target()}, naming the method and the value.
     */
    int sampleOneIn() default 1;
}
