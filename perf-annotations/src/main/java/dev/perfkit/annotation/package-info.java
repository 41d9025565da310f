/**
 * The annotations that mark methods for measurement: {@link dev.perfkit.annotation.Timed} (latency) and
 * {@link dev.perfkit.annotation.Profiled} (latency, CPU time, allocated bytes). This module has no dependencies;
 * the aspects that act on the annotations live in perf-runtime.
 */
package dev.perfkit.annotation;
