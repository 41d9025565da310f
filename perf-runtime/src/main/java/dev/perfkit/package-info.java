/**
 * The metrics API of perfkit: what hosts and tests call.
 *
 * <ul>
 *   <li>{@link dev.perfkit.Perf}: the global entry point the woven aspects record into ({@code Perf.registry()},
 *       {@code Perf.start(name)}, {@code Perf.setRegistry(...)} for tests);</li>
 *   <li>{@link dev.perfkit.PerfRegistry}: timers by name, snapshots, interval readers, the call-tree profile, the caps
 *       on names and paths; {@link dev.perfkit.PerfConfig} configures it;</li>
 *   <li>{@link dev.perfkit.PerfTimer}: one histogram with an error count; {@link dev.perfkit.Stopwatch} times a block
 *       without annotations;</li>
 *   <li>immutable values: {@link dev.perfkit.TimerSnapshot}, {@link dev.perfkit.TargetStatus},
 *       {@link dev.perfkit.MetricUnit}; {@link dev.perfkit.Durations} parses and formats durations;</li>
 *   <li>time: {@link dev.perfkit.NanoClock}, with {@link dev.perfkit.ManualNanoClock} for tests.</li>
 * </ul>
 *
 * <p>Every type here is thread-safe unless its javadoc says otherwise (a {@code Stopwatch} belongs to one thread).
 * Recording never blocks and, once warm, never allocates; reading never blocks writers. Exports live in
 * {@code dev.perfkit.export}, the dashboard in {@code dev.perfkit.dashboard}, profiles in {@code dev.perfkit.profile},
 * the Micrometer bridge in {@code dev.perfkit.micrometer}; {@code dev.perfkit.internal} is not API.
 */
package dev.perfkit;
