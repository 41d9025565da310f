/**
 * A small host application woven at load time ({@code -javaagent}): its own {@code @Timed}/{@code @Profiled} classes,
 * read back through the metrics API and a Micrometer registry fed by the bridge.
 */
package dev.perfkit.examples.host;
