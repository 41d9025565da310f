package dev.perfkit.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Records the wall-clock latency of every call of the annotated method into a latency histogram.
 *
 * <p>Placed on a type (class or interface), it applies to every {@code public} method that type declares, static ones
 * included, and wherever such a method is implemented or overridden (see "What is honoured").
 *
 * <p><b>What is recorded.</b> One value per call: nanoseconds from entry to return or throw, measured with
 * {@link System#nanoTime()}. A call that throws is recorded too and counted as an error under the exception's class;
 * the caller receives the very same exception instance with its stack trace untouched. When the method returns a
 * {@link java.util.concurrent.CompletionStage}, the call is timed until that stage completes, and an exceptional
 * completion counts as an error; the caller receives the same stage instance.
 *
 * <p><b>What is honoured.</b> For the executed method, the first of these wins, and it is the only one recorded (one
 * timer, never two):
 * <ol>
 *   <li>an annotation on the method itself, directly or through a <em>composed annotation</em> (an annotation type
 *       meta-annotated with {@code @Timed} or {@code @Profiled}, whose attributes are then used);</li>
 *   <li>for a public method: an annotation on its declaring class;</li>
 *   <li>for a public method that implements or overrides a method of a supertype carrying a type-level annotation
 *       (an interface, a superclass; nearest first: the superclass chain, then the interfaces breadth first): that
 *       supertype method's own annotation, else the supertype's. This is how implementations of an annotated
 *       interface (also anonymous classes and default methods) and overrides in subclasses are timed, under the
 *       interface's or superclass's name, target and tags.</li>
 * </ol>
 * At each place {@code @Profiled} wins over {@code @Timed}, and a direct annotation over a composed one. Not reached:
 * constructors, static initialisers, {@code toString}/{@code equals}/{@code hashCode} (unless annotated themselves),
 * non-public methods of an annotated type, public methods a subclass adds, bridge methods (a call through a bridge is
 * timed once), and lambdas (their body is no woven method; a method reference to an annotated method is timed). An
 * annotation on an interface or superclass <em>method</em> whose type carries no annotation reaches no
 * implementation: AspectJ matches a method's own annotations only, so reaching every implementation would mean weaving
 * every method; annotate the type (rule 3), or the implementation.
 *
 * <p><b>Names.</b> {@link #value()} as given on a method; at type level a non-empty value is a prefix
 * ({@code <value>.<method in snake case>}); empty, the name derives from the type whose annotation is in force
 * ({@code OrderRepository.findAll} reached through the interface is {@code order_repository.find_all}, whichever class
 * implements it).
 *
 * <p>Nothing happens unless the code is woven by perf-runtime's aspects, at compile time (aspectj-maven-plugin with
 * perf-runtime as an aspect library) or at load time ({@code -javaagent:aspectjweaver.jar}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Timed {

    /**
     * Metric name, lower-case words separated by dots (e.g. {@code "storage.save"}). Empty (the default) derives
     * {@code <simple class name>.<method name>} in snake case, e.g. {@code TrafficStore.saveBatch} is named
     * {@code "traffic_store.save_batch"}. On a type, a non-empty value is a prefix: each method is named
     * {@code <value>.<method name in snake case>}.
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
     * call in {@code sampleOneIn}, each call chosen at random independently of its latency (gaps between sampled
     * calls drawn uniformly from [1, 2 * sampleOneIn - 1]); the other calls are only counted, when they start, with a
     * plain store into a counter cell the calling thread owns (an atomic add on a thread that owns none). The first 64
     * calls of the method are all measured, so that a method called rarely still shows latencies. The call count and the error count stay exact
     * ({@code TimerSnapshot.count()}, {@code errors()}); percentiles, min and max come from the sampled latencies
     * ({@code TimerSnapshot.sampledCount()} of them), and the total is the sampled total scaled to every call.
     * A power of two in [1, 2^30]; 1 (the default) times every call. Any other value fails like a bad
     * {@link #target()}, naming the method and the value.
     */
    int sampleOneIn() default 1;
}
