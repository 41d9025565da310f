package dev.perfkit.internal;

import dev.perfkit.Durations;
import dev.perfkit.MetricUnit;
import dev.perfkit.PerfRegistry;
import dev.perfkit.PerfTimer;
import dev.perfkit.annotation.Profiled;
import dev.perfkit.annotation.Timed;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /**
     * The probe of a woven join point, or null when recording is off or the join point is unmeasured (a bad
     * annotation, reported once, or a method no rule reaches).
     */
    public static MethodProbe probe(JoinPoint.StaticPart joinPoint) {
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
                probe = current.resolve(joinPoint);
            }
            if (entry == null) {
                current.fast[slot] = new FastEntry(joinPoint, probe); // once per slot: a later collider keeps the map
            }
        }
        return probe == UNMEASURED ? null : probe;
    }

    /** Resolves every measured method of {@code type} in {@code registry}; throws on the first bad annotation. */
    public static void resolveAll(PerfRegistry registry, Class<?> type) {
        for (Method method : type.getDeclaredMethods()) {
            Found found = find(method);
            if (found != null) {
                createProbe(registry, method, found);
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
        MethodProbe resolve(JoinPoint.StaticPart joinPoint) {
            MethodProbe resolved;
            try {
                Method method = ((MethodSignature) joinPoint.getSignature()).getMethod();
                Found found = find(method);
                // null: woven by a pattern the rules do not confirm (e.g. a bridge method): leave it unmeasured.
                resolved = found == null ? UNMEASURED : createProbe(registry, method, found);
            } catch (RuntimeException | LinkageError e) {
                // Once per join point: the method keeps running, unmeasured.
                LOG.error("perfkit: {} is not measured: {}", joinPoint.getSignature().toLongString(), e.toString());
                resolved = UNMEASURED;
            }
            MethodProbe raced = probes.putIfAbsent(joinPoint, resolved);
            return raced != null ? raced : resolved;
        }
    }

    /** The annotation in force on a method, the level it was found at, and the type that names the timer. */
    record Found(Annotation annotation, boolean typeLevel, Class<?> namingType) {
    }

    /**
     * The annotation in force on {@code method}, by the rules of {@code Timed}'s javadoc, or null: the method's own
     * annotation; else, for a public method other than {@code toString}, {@code equals} and {@code hashCode}, the
     * annotation of its declaring class; else, nearest first (the superclass chain, then the interfaces breadth
     * first, each in declaration order), the annotation of a supertype's declaration of the same method, then of that
     * supertype itself. At each place {@code @Profiled} wins over {@code @Timed}, and a direct annotation over a
     * composed one.
     */
    static Found find(Method method) {
        if (method.isBridge() || method.isSynthetic()) {
            return null;
        }
        Annotation own = measuring(method);
        if (own != null) {
            return new Found(own, false, method.getDeclaringClass());
        }
        if (!Modifier.isPublic(method.getModifiers()) || isObjectMethod(method)) {
            return null;
        }
        Class<?> declaring = method.getDeclaringClass();
        Annotation onType = measuring(declaring);
        if (onType != null) {
            return new Found(onType, true, declaring);
        }
        if (Modifier.isStatic(method.getModifiers())) {
            return null;
        }
        for (Class<?> supertype : supertypesNearestFirst(declaring)) {
            Method declared = declaredOverridden(supertype, method);
            if (declared == null) {
                continue;
            }
            Annotation onMethod = measuring(declared);
            if (onMethod != null) {
                return new Found(onMethod, false, supertype);
            }
            Annotation onSupertype = measuring(supertype);
            if (onSupertype != null) {
                return new Found(onSupertype, true, supertype);
            }
        }
        return null;
    }

    /**
     * {@code @Profiled}, else {@code @Timed}, declared directly on {@code element}, else through a composed annotation
     * declared on it. Declared only: a type's annotations reach its subtypes through the methods it declares, never
     * through {@code @Inherited} (which a user's composed annotation might carry).
     */
    private static Annotation measuring(AnnotatedElement element) {
        Profiled profiled = element.getDeclaredAnnotation(Profiled.class);
        if (profiled != null) {
            return profiled;
        }
        Timed timed = element.getDeclaredAnnotation(Timed.class);
        if (timed != null) {
            return timed;
        }
        Annotation composedTimed = null;
        for (Annotation annotation : element.getDeclaredAnnotations()) {
            Class<? extends Annotation> type = annotation.annotationType();
            Profiled metaProfiled = type.getAnnotation(Profiled.class);
            if (metaProfiled != null) {
                return metaProfiled;
            }
            if (composedTimed == null) {
                composedTimed = type.getAnnotation(Timed.class);
            }
        }
        return composedTimed;
    }

    private static boolean isObjectMethod(Method method) {
        String name = method.getName();
        int arity = method.getParameterCount();
        return (arity == 0 && (name.equals("toString") || name.equals("hashCode")))
                || (arity == 1 && name.equals("equals") && method.getParameterTypes()[0] == Object.class);
    }

    /** The superclasses nearest first, then every interface breadth first, each level in declaration order. */
    private static List<Class<?>> supertypesNearestFirst(Class<?> type) {
        List<Class<?>> order = new ArrayList<>();
        for (Class<?> c = type.getSuperclass(); c != null && c != Object.class; c = c.getSuperclass()) {
            order.add(c);
        }
        ArrayDeque<Class<?>> queue = new ArrayDeque<>();
        queue.add(type);
        order.forEach(queue::add);
        Set<Class<?>> seen = new HashSet<>(order);
        while (!queue.isEmpty()) {
            for (Class<?> implemented : queue.poll().getInterfaces()) {
                if (seen.add(implemented)) {
                    order.add(implemented);
                    queue.add(implemented);
                }
            }
        }
        return order;
    }

    /**
     * The method {@code supertype} declares that {@code method} overrides or implements: same name and arity, each
     * parameter type of the supertype's declaration assignable from {@code method}'s (generic parameters erase to
     * their bounds), not private or static. Null when there is none.
     */
    private static Method declaredOverridden(Class<?> supertype, Method method) {
        Class<?>[] parameters = method.getParameterTypes();
        for (Method candidate : supertype.getDeclaredMethods()) {
            if (!candidate.getName().equals(method.getName()) || candidate.getParameterCount() != parameters.length
                    || candidate.isBridge() || candidate.isSynthetic()
                    || Modifier.isPrivate(candidate.getModifiers()) || Modifier.isStatic(candidate.getModifiers())) {
                continue;
            }
            Class<?>[] declared = candidate.getParameterTypes();
            boolean matches = true;
            for (int i = 0; i < parameters.length && matches; i++) {
                matches = declared[i].isAssignableFrom(parameters[i]);
            }
            if (matches) {
                return candidate;
            }
        }
        return null;
    }

    static MethodProbe createProbe(PerfRegistry registry, Method method, Found found) {
        Annotation annotation = found.annotation();
        boolean typeLevel = found.typeLevel();
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
        String name = metricName(method, value, typeLevel, found.namingType());
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

    /**
     * {@code value} as given, or {@code prefix.method} at type level, or {@code simple_type.method_name} where the
     * type is the one whose annotation is in force ({@code namingType}: the interface, for an implementation reached
     * through an annotated interface).
     */
    static String metricName(Method method, String value, boolean typeLevel, Class<?> namingType) {
        String methodPart = snake(method.getName());
        if (!value.isBlank()) {
            return typeLevel ? value + "." + methodPart : value;
        }
        Class<?> type = namingType;
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
}
