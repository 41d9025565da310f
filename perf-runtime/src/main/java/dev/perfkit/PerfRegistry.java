package dev.perfkit;

import dev.perfkit.internal.CallTrees;
import dev.perfkit.internal.HistogramLayout;
import dev.perfkit.internal.InternalErrors;
import dev.perfkit.internal.SlotProjection;
import dev.perfkit.profile.PathProfile;
import dev.perfkit.profile.Profile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the {@link PerfTimer}s of a process (or of a test) by name, and reads them as snapshots.
 *
 * <p>The aspects record into {@link Perf#registry()}; a host or test can install its own with
 * {@link Perf#setRegistry(PerfRegistry)}. Timers are created on first use, by the aspects (one per woven method,
 * resolved once per join point), by {@link #start(String)} and {@link #record(String, long)}, or explicitly with
 * {@link #timerBuilder(String)}.
 *
 * <p><b>Thread-safety.</b> All methods may be called from any thread. Creating a timer takes a short lock on the name
 * map; recording never locks; snapshots never block writers.
 *
 * <p><b>Bounded memory.</b> At most {@link PerfConfig#maxTimers()} names; past the cap, new names record into the
 * shared timer {@value #OVERFLOW_TIMER_NAME}, the overflow is counted ({@link #overflowCount()}) and logged once.
 */
public final class PerfRegistry {

    /** Name of the timer that receives values recorded under new names once the cap is reached. */
    public static final String OVERFLOW_TIMER_NAME = "perf.overflow";

    private static final Logger LOG = LoggerFactory.getLogger(PerfRegistry.class);
    private static final int MAX_NAME_LENGTH = 200;

    private final PerfConfig config;
    private final HistogramLayout layout;
    private final CallTrees callTrees;
    private final MeasuredMethods measuredMethods;
    private final ConcurrentHashMap<String, PerfTimer> timers = new ConcurrentHashMap<>();
    /** The last sorted list of timers, reused while no timer is added. */
    private volatile SortedTimers sortedTimers;
    private final CopyOnWriteArrayList<Consumer<PerfTimer>> listeners = new CopyOnWriteArrayList<>();
    private final LongAdder overflow = new LongAdder();
    /** Names admitted under the cap; reserved before a timer is created, so racing threads cannot overshoot. */
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicBoolean overflowLogged = new AtomicBoolean();
    private volatile PerfTimer overflowTimer;
    private final IntervalReader defaultIntervalReader = new IntervalReader(this);
    private volatile boolean enabled = true;

    /** A registry with {@link PerfConfig#defaults()}. */
    public PerfRegistry() {
        this(PerfConfig.defaults());
    }

    public PerfRegistry(PerfConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.layout = new HistogramLayout(config.highestTrackableValue(), config.numberOfSignificantValueDigits());
        this.callTrees = new CallTrees(config.maxCallPaths());
        this.measuredMethods = new MeasuredMethods(this);
    }

    public PerfConfig config() {
        return config;
    }

    /** The timer named {@code name}, created with no target and no tags if absent. */
    public PerfTimer timer(String name) {
        PerfTimer existing = timers.get(name);
        return existing != null ? existing : timerBuilder(name).register();
    }

    /** A builder for a timer with a description, target, tags or unit. */
    public TimerBuilder timerBuilder(String name) {
        return new TimerBuilder(this, name);
    }

    /** The timer named {@code name}, if it exists. */
    public Optional<PerfTimer> find(String name) {
        return Optional.ofNullable(timers.get(name));
    }

    /** All timers, sorted by name. */
    public List<PerfTimer> timers() {
        long size = timers.mappingCount(); // timers are never removed: the count changes exactly when one is added
        SortedTimers cached = sortedTimers;
        if (cached == null || cached.size != size) {
            PerfTimer[] sorted = timers.values().toArray(new PerfTimer[0]);
            Arrays.sort(sorted, Comparator.comparing(PerfTimer::name));
            cached = new SortedTimers(size, sorted); // if one was added meanwhile, the next call sorts again
            sortedTimers = cached;
        }
        return new ArrayList<>(Arrays.asList(cached.timers));
    }

    /** The timers sorted by name, when the registry held {@code size} of them. */
    private static final class SortedTimers {
        final long size;
        final PerfTimer[] timers;

        SortedTimers(long size, PerfTimer[] timers) {
            this.size = size;
            this.timers = timers;
        }
    }

    /** Cumulative snapshots (since creation or {@link #reset()}) of all timers, sorted by name. */
    public List<TimerSnapshot> snapshots() {
        List<PerfTimer> list = timers();
        List<TimerSnapshot> snapshots = new ArrayList<>(list.size());
        for (PerfTimer timer : list) {
            snapshots.add(timer.snapshot());
        }
        return snapshots;
    }

    /** Cumulative snapshot of one timer, if it exists. */
    public Optional<TimerSnapshot> snapshot(String name) {
        return find(name).map(PerfTimer::snapshot);
    }

    /**
     * Interval snapshots of all timers since the previous call of this method, through the registry's default
     * {@link IntervalReader}. Consumers that read on their own schedule should use {@link #newIntervalReader()}.
     */
    public List<TimerSnapshot> intervalSnapshots() {
        return defaultIntervalReader.read();
    }

    /** A new interval cursor whose first read covers everything since each timer's creation. */
    public IntervalReader newIntervalReader() {
        return new IntervalReader(this);
    }

    /**
     * A bucket layout over this registry's histogram slots, for {@link PerfTimer#readBuckets}: each slot goes to
     * {@code bucketOfHighestValue.applyAsInt(highest)}, {@code highest} being the largest value the slot holds (0 for
     * the slot of 0), in the timers' unit. The function is called once per slot, in increasing value order, and must
     * give buckets {@code >= 0} that never decrease. Build it once per exporter layout: it costs one {@code int} per
     * slot.
     *
     * @throws IllegalArgumentException if a bucket is negative or below the previous slot's
     */
    public BucketLayout bucketLayout(LongToIntFunction bucketOfHighestValue) {
        return new BucketLayout(this, SlotProjection.of(layout, bucketOfHighestValue));
    }

    /** Restarts every timer's cumulative snapshot from now. Never blocks writers. */
    public void reset() {
        for (PerfTimer timer : timers.values()) {
            timer.reset();
        }
    }

    /** Whether woven methods record. Stopwatches and {@link #record} always record. */
    public boolean isEnabled() {
        return enabled;
    }

    /** Turns recording by woven methods on or off at runtime; off, an advice costs one volatile read. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** Starts a {@link Stopwatch} on the timer named {@code name}. */
    public Stopwatch start(String name) {
        return timer(name).start();
    }

    /** Records {@code nanos} into the timer named {@code name}. Never throws for any value. */
    public void record(String name, long nanos) {
        timer(name).record(nanos);
    }

    /**
     * The call tree of {@code @Profiled} methods recorded so far, aggregated per path and per method. Never blocks
     * writers.
     */
    public Profile profile() {
        List<PathProfile> paths = new ArrayList<>();
        callTrees.forEachPath((frames, calls, totalNanos, selfNanos, cpuNanos, allocatedBytes, threadMetricCalls) ->
                paths.add(new PathProfile(frames, calls, totalNanos, selfNanos, cpuNanos, allocatedBytes,
                        threadMetricCalls)));
        return Profile.of(paths);
    }

    /** Whether {@code @Profiled} calls are placed in the call tree (default on). Latency, CPU and allocation are
     *  recorded either way. */
    public boolean isCallTreeEnabled() {
        return callTrees.isEnabled();
    }

    /** Turns the call tree on or off at runtime; off, a profiled call skips the path lookup. */
    public void setCallTreeEnabled(boolean enabled) {
        callTrees.setEnabled(enabled);
    }

    /** Values recorded under names refused by the cap, since start. */
    public long overflowCount() {
        return overflow.sum();
    }

    /**
     * Calls {@code listener} for every existing timer and then for each timer created later, on the creating thread.
     * A listener that throws is counted and logged once (as an internal error) and does not prevent creation.
     */
    public void onTimerAdded(Consumer<PerfTimer> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        for (PerfTimer timer : timers()) {
            notifyListener(listener, timer);
        }
    }

    /**
     * Resolves every {@code @Timed} / {@code @Profiled} method of {@code type} now, as the aspects would on first
     * call, creating their timers in this registry.
     *
     * @throws IllegalArgumentException naming the method and the value, when an annotation has a bad target or tag
     */
    public void validate(Class<?> type) {
        measuredMethods.resolveAll(type);
    }

    /** What woven code resolves its join points against while this registry is installed. */
    MeasuredMethods measuredMethods() {
        return measuredMethods;
    }

    CallTrees callTrees() {
        return callTrees;
    }

    HistogramLayout layout() {
        return layout;
    }

    PerfTimer register(TimerBuilder builder) {
        PerfTimer existing = timers.get(builder.name);
        if (existing != null) {
            return existing;
        }
        boolean capped = !builder.name.equals(OVERFLOW_TIMER_NAME);
        if (capped && !reserveName()) {
            return overflowTimer(builder.name);
        }
        PerfTimer[] created = new PerfTimer[1];
        PerfTimer timer = timers.computeIfAbsent(builder.name, name -> created[0] = new PerfTimer(this, name,
                builder.description, builder.tags, builder.unit, builder.target,
                builder.sampleOneIn));
        if (created[0] == null && capped) {
            admitted.decrementAndGet(); // another thread created this name first: give the slot back
        }
        if (created[0] != null) {
            for (Consumer<PerfTimer> listener : listeners) {
                notifyListener(listener, created[0]);
            }
        }
        return timer;
    }

    /**
     * Reserves a slot under the cap. Past the cap a refused name only reads the count: no shared atomic is written per
     * call, however often a runaway dynamic name is recorded.
     */
    private boolean reserveName() {
        if (admitted.get() >= config.maxTimers()) {
            return false;
        }
        if (admitted.incrementAndGet() > config.maxTimers()) {
            admitted.decrementAndGet();
            return false;
        }
        return true;
    }

    private PerfTimer overflowTimer(String refusedName) {
        overflow.increment();
        PerfTimer timer = overflowTimer;
        if (timer != null) {
            return timer;
        }
        if (overflowLogged.compareAndSet(false, true)) {
            LOG.warn("perfkit: more than {} timer names; '{}' and later new names record into '{}' (logged once)",
                    config.maxTimers(), refusedName, OVERFLOW_TIMER_NAME);
        }
        timer = timers.computeIfAbsent(OVERFLOW_TIMER_NAME, name -> new PerfTimer(this, name,
                "values recorded under names beyond the cap", Map.of(), MetricUnit.NANOSECONDS, 0, 1));
        overflowTimer = timer;
        return timer;
    }

    private static void notifyListener(Consumer<PerfTimer> listener, PerfTimer timer) {
        try {
            listener.accept(timer);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            InternalErrors.report("timer listener " + listener.getClass().getName(), e);
        }
    }

    static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("metric name must be 1 to " + MAX_NAME_LENGTH
                    + " characters and not blank, was '" + name + "'");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException("metric name must not contain whitespace or control characters, "
                        + "was '" + name + "' (character at index " + i + ")");
            }
        }
        return name;
    }

    /** Builder of a {@link PerfTimer}. Not thread-safe; {@link #register()} is. */
    public static final class TimerBuilder {
        private final PerfRegistry registry;
        private final String name;
        private String description = "";
        private Map<String, String> tags = Map.of();
        private MetricUnit unit = MetricUnit.NANOSECONDS;
        private long target;
        private int sampleOneIn = 1;

        private TimerBuilder(PerfRegistry registry, String name) {
            this.registry = registry;
            this.name = checkName(name);
        }

        public TimerBuilder description(String description) {
            this.description = Objects.requireNonNull(description, "description");
            return this;
        }

        /** Static tags; keys and values must not be null. */
        public TimerBuilder tags(Map<String, String> tags) {
            this.tags = new LinkedHashMap<>(Objects.requireNonNull(tags, "tags"));
            return this;
        }

        public TimerBuilder unit(MetricUnit unit) {
            this.unit = Objects.requireNonNull(unit, "unit");
            return this;
        }

        /**
         * 99th-percentile target in the timer's {@linkplain #unit(MetricUnit) unit} (see {@link TimerId} for the unit
         * contract): nanoseconds for a latency timer, bytes for an allocation timer; 0 means none.
         *
         * @throws IllegalArgumentException if {@code target} is negative
         */
        public TimerBuilder target(long target) {
            if (target < 0) {
                throw new IllegalArgumentException("target must be >= 0 (0 = none), was " + target);
            }
            this.target = target;
            return this;
        }

        /**
         * 99th-percentile latency target, for a timer in nanoseconds (the default unit).
         *
         * @throws IllegalArgumentException if {@code target} is zero or negative
         */
        public TimerBuilder target(Duration target) {
            if (target.isNegative() || target.isZero()) {
                throw new IllegalArgumentException("target must be positive, was " + target);
            }
            return target(target.toNanos());
        }

        /**
         * Sampled timing: one call in {@code n} has its latency recorded, the others are only counted (see
         * {@link PerfTimer#recordUnsampled()}). Default 1.
         *
         * @throws IllegalArgumentException unless {@code n} is a power of two in [1, 2^30]
         */
        public TimerBuilder sampleOneIn(int n) {
            if (n < 1 || n > (1 << 30) || Integer.bitCount(n) != 1) {
                throw new IllegalArgumentException("sampleOneIn must be a power of two in [1, 1073741824], was " + n);
            }
            this.sampleOneIn = n;
            return this;
        }

        /** The timer with this name: created now, or the existing one (whose settings are kept). */
        public PerfTimer register() {
            return registry.register(this);
        }
    }
}
