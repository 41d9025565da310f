/**
 * The AspectJ aspects that weave {@code @Timed} and {@code @Profiled} (compiled from {@code src/main/aspect}, declared
 * in the shipped {@code META-INF/aop.xml} for load-time weaving). Not API: hosts weave them, they never call them.
 * They are thin on purpose; the logic is in {@code dev.perfkit.internal}.
 */
package dev.perfkit.aspect;
