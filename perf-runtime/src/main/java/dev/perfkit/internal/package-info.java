/**
 * Not API, may change: the recording machinery behind the aspects and the registry. Nothing here imports the API
 * packages: the registry plugs in what woven code needs ({@link dev.perfkit.internal.ProbeSource}, bound in
 * {@link dev.perfkit.internal.JoinPoints} when a registry is installed) and its timers are the
 * {@link dev.perfkit.internal.TimerSink}s probes record into. Public here only: what woven code calls
 * ({@code JoinPoints}, {@code MethodProbe}, {@code Rethrow}) and what the API package builds on (the two interfaces,
 * {@code StripedHistogram}, {@code SamplingCounter}, {@code HistogramLayout}, {@code SparseCounts},
 * {@code SlotProjection} and {@code ProjectedCounts} (a reading straight into an exporter's buckets),
 * {@code CallTrees}, {@code InternalErrors}).
 *
 * <p>The path of a woven {@code @Timed} call, in order (each class carries a design note):
 * <ol>
 *   <li>{@code MeasuredAspect} (package {@code dev.perfkit.aspect}): around advice inlined into the woven method, one per
 *       return kind, so nothing is boxed and no join point object is built;</li>
 *   <li>{@link dev.perfkit.internal.JoinPoints}: is recording on; then one identity lookup of the join point's
 *       {@link dev.perfkit.internal.MethodProbe}, resolved on the first call by the bound registry (which applies the
 *       annotation rules and creates the timers);</li>
 *   <li>{@link dev.perfkit.internal.MethodProbe}: reads the clock before and after {@code proceed()}, contains any
 *       failure of the clock or the recorder, rethrows the method's own exception;</li>
 *   <li>the timer ({@code dev.perfkit.PerfTimer#record(long)}, a {@code TimerSink}): clamps the value into range,
 *       checks the slow-call threshold;</li>
 *   <li>{@link dev.perfkit.internal.StripedHistogram}: one compare-and-set and one atomic add into the cell the
 *       thread hashes to; at most one cell per core, laid out as {@link dev.perfkit.internal.HistogramLayout}.</li>
 * </ol>
 * A call of a sampled method ({@code @Timed(sampleOneIn = N)}) asks, in step 3, the timer's
 * {@link dev.perfkit.internal.SamplingCounter} whether it is sampled; N - 1 calls in N are counted there (a plain store
 * into the cell the thread owns) and skip the clock and steps 4 and 5.
 *
 * <p>{@code @Profiled} adds, in {@code MethodProbe.enter/exit}: a frame on the thread's stack in
 * {@link dev.perfkit.internal.CallTrees} (one shared tree of {@code CallNode}s, bounded by call paths), the thread's
 * CPU time and allocated bytes ({@code ThreadMetrics}; not on virtual threads, see {@code VirtualThreads}), and a JFR
 * event when a recording wants one. Readers merge the cells into {@link dev.perfkit.internal.SparseCounts}, the
 * non-empty buckets a snapshot keeps; an export reads them instead through a {@link dev.perfkit.internal.SlotProjection}
 * (the runs of slots that fall into each of its buckets) into {@link dev.perfkit.internal.ProjectedCounts}, summing
 * each chunk once, with no branch per slot. Failures inside the library go to
 * {@link dev.perfkit.internal.InternalErrors}: counted, logged once, never thrown into the host.
 */
package dev.perfkit.internal;
