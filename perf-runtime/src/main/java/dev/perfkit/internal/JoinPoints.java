package dev.perfkit.internal;

import java.lang.reflect.Method;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.aspectj.lang.JoinPoint;
import org.aspectj.lang.reflect.MethodSignature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves a woven join point to its {@link MethodProbe} once, and finds it again on every call with one identity
 * lookup.
 *
 * <p>Design note: AspectJ hands the advice {@code thisJoinPointStaticPart}, a constant created once per join point in
 * the woven class's static initialiser. It does not override {@code hashCode}, so a {@link ConcurrentHashMap} keyed by
 * it is an identity map whose {@code get} costs a few nanoseconds and allocates nothing. Everything else (reading the
 * annotation, deriving the name, parsing the target and tags, creating the timers) happens on the first call only.
 * The cache belongs to the bound {@link ProbeSource} (the installed registry): binding another starts a fresh cache,
 * so join points resolve again against it. Nothing here knows the API types: the registry hands in what it resolves.
 *
 * <p>In front of the map sits a small direct-mapped table indexed by the join point's identity hash: a hit costs one
 * array read and one identity comparison, cheaper than the map's lookup, which matters for methods that run in
 * nanoseconds ({@code @Timed(sampleOneIn = N)}). Entries are immutable, so a racy read sees a whole entry or an older
 * one. The first join point to reach a slot keeps it; a colliding one is looked up in the map, as before, so
 * nothing is allocated per call.
 */
public final class JoinPoints {

    private static final Logger LOG = LoggerFactory.getLogger(JoinPoints.class);
    /** Marks a join point whose annotation could not be resolved: the method runs unmeasured. */
    private static final MethodProbe UNMEASURED = new MethodProbe(null, null, null, null, null, 1);
    /** Until a registry is bound (the API binds its default one when it is first used), nothing is measured. */
    private static final ProbeSource UNBOUND = new ProbeSource() {
        @Override
        public boolean isEnabled() {
            return false;
        }

        @Override
        public MethodProbe resolve(Method method) {
            return null;
        }
    };

    private static volatile Binding binding = new Binding(UNBOUND);

    private JoinPoints() {
    }

    /** Makes woven calls resolve against {@code source} from now on; calls in flight finish with their probe. */
    public static void bind(ProbeSource source) {
        binding = new Binding(Objects.requireNonNull(source, "source"));
    }

    /**
     * The probe of a woven join point, or null when recording is off or the join point is unmeasured (a bad
     * annotation, reported once, or a method no rule reaches).
     */
    public static MethodProbe probe(JoinPoint.StaticPart joinPoint) {
        Binding current = binding;
        if (!current.source.isEnabled()) {
            return null;
        }
        int slot = System.identityHashCode(joinPoint) & (FAST_SLOTS - 1);
        FastEntry entry = current.fast[slot];
        MethodProbe probe;
        if (entry != null && entry.joinPoint == joinPoint) {
            probe = entry.probe;
        } else {
            probe = current.probes.get(joinPoint);
            if (probe == null) {
                probe = current.resolve(joinPoint);
            }
            if (entry == null) {
                current.fast[slot] = new FastEntry(joinPoint, probe); // once per slot: a later collider keeps the map
            }
        }
        return probe == UNMEASURED ? null : probe;
    }

    /** Slots of the direct-mapped front table (a power of two). */
    private static final int FAST_SLOTS = 256;

    /** One resolved join point of the front table; immutable, so safely read without synchronisation. */
    private static final class FastEntry {
        final JoinPoint.StaticPart joinPoint;
        final MethodProbe probe;

        FastEntry(JoinPoint.StaticPart joinPoint, MethodProbe probe) {
            this.joinPoint = joinPoint;
            this.probe = probe;
        }
    }

    private static final class Binding {
        final ProbeSource source;
        /** Racy by design: a missing entry only sends the lookup to {@link #probes}. */
        final FastEntry[] fast = new FastEntry[FAST_SLOTS];
        final ConcurrentHashMap<JoinPoint.StaticPart, MethodProbe> probes = new ConcurrentHashMap<>();

        Binding(ProbeSource source) {
            this.source = source;
        }

        /**
         * Resolves outside the map's lock, then publishes: creating the timers runs user callbacks (timer listeners),
         * which may call other woven methods and so resolve other join points; inside {@code computeIfAbsent} that
         * would be a recursive update. Two threads racing on a first call both resolve; the timers are found by name,
         * so both get the same timers, and one probe is kept.
         */
        MethodProbe resolve(JoinPoint.StaticPart joinPoint) {
            MethodProbe resolved;
            try {
                Method method = ((MethodSignature) joinPoint.getSignature()).getMethod();
                MethodProbe probe = source.resolve(method);
                // null: woven by a pattern the rules do not confirm (e.g. a bridge method): leave it unmeasured.
                resolved = probe == null ? UNMEASURED : probe;
            } catch (RuntimeException | LinkageError e) {
                // Once per join point: the method keeps running, unmeasured.
                LOG.error("perfkit: {} is not measured: {}", joinPoint.getSignature().toLongString(), e.toString());
                resolved = UNMEASURED;
            }
            MethodProbe raced = probes.putIfAbsent(joinPoint, resolved);
            return raced != null ? raced : resolved;
        }
    }
}
