package dev.perfkit.internal;

import dev.perfkit.Durations;
import dev.perfkit.MetricUnit;
import dev.perfkit.PerfRegistry;
import dev.perfkit.PerfTimer;
import dev.perfkit.annotation.Profiled;
import dev.perfkit.annotation.Timed;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
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
 * The cache belongs to the installed registry: installing another registry starts a fresh cache, so join points
 * resolve again against it.
 *
 * <p>In front of the map sits a small direct-mapped table indexed by the join point's identity hash: a hit costs one
 * array read and one identity comparison, cheaper than the map's lookup, which matters for methods that run in
 * nanoseconds ({@code @Timed(sampleOneIn = N)}). Entries are immutable, so a racy read sees a whole entry or an older
 * one. The first join point to reach a slot keeps it; a colliding one is looked up in the map, as before, so
 * nothing is allocated per call.
 */
public final class JoinPoints {

    private static final Logger LOG = LoggerFactory.getLogger(JoinPoints.class);
    private static final Pattern TAG = Pattern.compile("([a-z][a-z0-9_]*)=(.*)");
    /** Marks a join point whose annotation could not be resolved: the method runs unmeasured. */
    private static final MethodProbe UNMEASURED = new MethodProbe(null, null, null, null, null);

    private static volatile Binding binding = new Binding(new PerfRegistry());

    private JoinPoints() {
    }

    /** The installed registry. */
    public static PerfRegistry registry() {
        return binding.registry;
    }

    /** Installs {@code registry}; returns the previous one. */
    public static PerfRegistry bind(PerfRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        PerfRegistry previous = binding.registry;
        binding = new Binding(registry);
        return previous;
    }

    /** The probe of a {@code @Timed} join point, or null when recording is off or the join point is unmeasured. */
    public static MethodProbe timed(JoinPoint.StaticPart joinPoint) {
        return probe(joinPoint, false);
    }

    /** The probe of a {@code @Profiled} join point, or null when recording is off or the join point is unmeasured. */
    public static MethodProbe profiled(JoinPoint.StaticPart joinPoint) {
        return probe(joinPoint, true);
    }

    private static MethodProbe probe(JoinPoint.StaticPart joinPoint, boolean profiled) {
        Binding current = binding;
        if (!current.registry.isEnabled()) {
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
                probe = current.resolve(joinPoint, profiled);
            }
            if (entry == null) {
                current.fast[slot] = new FastEntry(joinPoint, probe); // once per slot: a later collider keeps the map
            }
        }
        return probe == UNMEASURED ? null : probe;
    }

    /** Resolves every annotated method of {@code type} in {@code registry}; throws on the first bad annotation. */
    public static void resolveAll(PerfRegistry registry, Class<?> type) {
        for (Method method : type.getDeclaredMethods()) {
            if (method.isSynthetic() || method.isBridge()) {
                continue;
            }
            Annotation annotation = annotationOf(method);
            if (annotation != null) {
                createProbe(registry, method, annotation);
            }
        }
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
        final PerfRegistry registry;
        /** Racy by design: a missing entry only sends the lookup to {@link #probes}. */
        final FastEntry[] fast = new FastEntry[FAST_SLOTS];
        final ConcurrentHashMap<JoinPoint.StaticPart, MethodProbe> probes = new ConcurrentHashMap<>();

        Binding(PerfRegistry registry) {
            this.registry = registry;
        }

        /**
         * Resolves outside the map's lock, then publishes: creating the timers runs user callbacks (timer listeners),
         * which may call other woven methods and so resolve other join points; inside {@code computeIfAbsent} that
         * would be a recursive update. Two threads racing on a first call both resolve; the timers are found by name,
         * so both get the same timers, and one probe is kept.
         */
        MethodProbe resolve(JoinPoint.StaticPart joinPoint, boolean profiled) {
            MethodProbe resolved;
            try {
                Method method = ((MethodSignature) joinPoint.getSignature()).getMethod();
                Annotation annotation = annotationOf(method);
                if (annotation == null) {
                    // Matched through an annotation we do not read here (should not happen): measure with defaults.
                    annotation = profiled ? DefaultAnnotations.PROFILED : DefaultAnnotations.TIMED;
                }
                resolved = createProbe(registry, method, annotation);
            } catch (RuntimeException | LinkageError e) {
                // Once per join point: the method keeps running, unmeasured.
                LOG.error("perfkit: {} is not measured: {}", joinPoint.getSignature().toLongString(), e.toString());
                resolved = UNMEASURED;
            }
            MethodProbe raced = probes.putIfAbsent(joinPoint, resolved);
            return raced != null ? raced : resolved;
        }
    }

    /**
     * The annotation in force on {@code method}: a method-level {@code @Profiled} or {@code @Timed} (profiled wins when
     * both are present), else a type-level one on the declaring class for public methods.
     */
    static Annotation annotationOf(Method method) {
        Profiled profiled = method.getAnnotation(Profiled.class);
        if (profiled != null) {
            return profiled;
        }
        Timed timed = method.getAnnotation(Timed.class);
        if (timed != null) {
            return timed;
        }
        if (!Modifier.isPublic(method.getModifiers())) {
            return null;
        }
        Class<?> type = method.getDeclaringClass();
        Profiled typeProfiled = type.getAnnotation(Profiled.class);
        return typeProfiled != null ? typeProfiled : type.getAnnotation(Timed.class);
    }

    static MethodProbe createProbe(PerfRegistry registry, Method method, Annotation annotation) {
        boolean typeLevel = method.getAnnotation(annotation.annotationType()) == null;
        String value;
        String description;
        String target;
        String[] tags;
        int sampleOneIn = 1;
        if (annotation instanceof Profiled p) {
            value = p.value();
            description = p.description();
            target = p.target();
            tags = p.tags();
        } else {
            Timed t = (Timed) annotation;
            value = t.value();
            description = t.description();
            target = t.target();
            tags = t.tags();
            sampleOneIn = t.sampleOneIn();
        }
        String where = method.getDeclaringClass().getName() + "." + method.getName();
        String name = metricName(method, value, typeLevel);
        long targetNanos = 0;
        if (!target.isBlank()) {
            try {
                targetNanos = Durations.parseNanos(target);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("@" + annotation.annotationType().getSimpleName() + "(target = \""
                        + target + "\") on " + where + ": " + e.getMessage(), e);
            }
        }
        if (sampleOneIn < 1 || sampleOneIn > (1 << 30) || Integer.bitCount(sampleOneIn) != 1) {
            throw new IllegalArgumentException("@Timed(sampleOneIn = " + sampleOneIn + ") on " + where
                    + ": must be a power of two in [1, 1073741824]");
        }
        Map<String, String> tagMap = parseTags(tags, annotation, where);
        PerfTimer latency = registry.timerBuilder(name).description(description).tags(tagMap)
                .target(targetNanos).sampleOneIn(sampleOneIn).register();
        if (!(annotation instanceof Profiled)) {
            // The timer's own rate: a timer registered earlier under this name keeps its rate, and its snapshots say so.
            return new MethodProbe(registry.config().clock(), latency, null, null, null, latency.sampleOneIn());
        }
        PerfTimer cpu = registry.timerBuilder(name + ".cpu").description("CPU time of " + name).tags(tagMap)
                .register();
        PerfTimer allocation = registry.timerBuilder(name + ".alloc").description("bytes allocated by " + name)
                .tags(tagMap).unit(MetricUnit.BYTES).register();
        return new MethodProbe(registry.config().clock(), latency, cpu, allocation,
                InternalAccess.callTrees(registry));
    }

    private static Map<String, String> parseTags(String[] tags, Annotation annotation, String where) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String tag : tags) {
            var m = TAG.matcher(tag == null ? "" : tag);
            if (!m.matches()) {
                throw new IllegalArgumentException("@" + annotation.annotationType().getSimpleName() + "(tags) on "
                        + where + ": '" + tag + "' is not a tag: expected key=value with a lower-case key "
                        + "([a-z][a-z0-9_]*)");
            }
            map.put(m.group(1), m.group(2));
        }
        return map;
    }

    /** {@code value} as given, or {@code prefix.method} at type level, or {@code simple_class.method_name}. */
    static String metricName(Method method, String value, boolean typeLevel) {
        String methodPart = snake(method.getName());
        if (!value.isBlank()) {
            return typeLevel ? value + "." + methodPart : value;
        }
        Class<?> type = method.getDeclaringClass();
        String typeName = type.getSimpleName().isEmpty()
                ? type.getName().substring(type.getName().lastIndexOf('.') + 1) : type.getSimpleName();
        return snake(typeName) + "." + methodPart;
    }

    /** {@code "TrafficStore"} -> {@code "traffic_store"}, {@code "saveBatch"} -> {@code "save_batch"}. */
    static String snake(String camel) {
        StringBuilder out = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                boolean boundary = i > 0 && (Character.isLowerCase(camel.charAt(i - 1))
                        || (i + 1 < camel.length() && Character.isLowerCase(camel.charAt(i + 1))
                        && Character.isUpperCase(camel.charAt(i - 1))));
                if (boundary) {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else if (c == '$') {
                out.append('.');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Annotation instances with every attribute at its default. */
    @Timed
    @Profiled
    private static final class DefaultAnnotations {
        static final Timed TIMED = DefaultAnnotations.class.getAnnotation(Timed.class);
        static final Profiled PROFILED = DefaultAnnotations.class.getAnnotation(Profiled.class);
    }
}
