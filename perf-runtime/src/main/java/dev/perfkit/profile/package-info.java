/**
 * Profiles of nested {@code @Profiled} calls, as immutable values: {@link dev.perfkit.profile.Profile} (per path and
 * per method, a pstats-like table, collapsed stacks, an SVG flame graph, a tab-separated form that merges across
 * runs), {@link dev.perfkit.profile.PathProfile}, {@link dev.perfkit.profile.MethodProfile}, and the JFR event
 * {@link dev.perfkit.profile.ProfiledCallEvent}.
 */
package dev.perfkit.profile;
