package dev.perfkit.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * {@link Timed} plus, per call, the CPU time of the calling thread and the bytes it allocated, each into its own
 * histogram (metric names {@code <name>}, {@code <name>.cpu} and {@code <name>.alloc}).
 *
 * <p>CPU time and allocation come from {@code com.sun.management.ThreadMXBean}. Where the JVM does not support or has
 * disabled them, only the wall-clock latency is recorded and the other two histograms stay empty. On a virtual thread
 * (JDK 21+) they are not read either, since the JDK keeps no CPU time or allocation counter per virtual thread: the
 * call records its latency and its place in the call tree, the {@code .cpu} and {@code .alloc} histograms count only
 * the calls on platform threads, and a profile states how many calls its CPU and allocation figures cover.
 *
 * <p>CPU time and allocation are those of the calling thread between entry and return, so a method returning a
 * {@link java.util.concurrent.CompletionStage} records the latency until completion, but CPU and allocation only of
 * the synchronous part. Exceptions, type-level use, inheritance and meta-annotations behave as for {@link Timed}. A
 * method carrying both annotations is profiled once.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Profiled {

    /** Metric name; see {@link Timed#value()}. */
    String value() default "";

    /** Human-readable description. */
    String description() default "";

    /** Optional latency target at the 99th percentile; see {@link Timed#target()}. */
    String target() default "";

    /** Extra static tags as {@code "key=value"} pairs; see {@link Timed#tags()}. */
    String[] tags() default {};
}
