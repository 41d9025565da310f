/**
 * JMH benchmarks, one class per question with a baseline and the peers beside it (see {@code benchmarks/README.md}),
 * the heap harness {@link dev.perfkit.benchmarks.MemoryFootprint}, the baseline save/compare tool and the CI gate
 * {@link dev.perfkit.benchmarks.OverheadGate}. Not published.
 */
package dev.perfkit.benchmarks;
