package dev.perfkit;

import dev.perfkit.annotation.Profiled;
import dev.perfkit.annotation.Timed;
import dev.perfkit.internal.MethodProbe;
import dev.perfkit.internal.ProbeSource;
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
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The annotation rules of {@link Timed}'s javadoc, applied for one registry: which annotation is in force on a woven
 * method, the timers it names (created in the registry on first use) and the probe that records into them. The
 * registry binds it as the {@link ProbeSource} of woven code when it is installed ({@link Perf#setRegistry}), and
 * {@link PerfRegistry#validate(Class)} runs it ahead of the first call. Thread-safe: it only reads annotations and
 * registers timers, which the registry makes idempotent by name.
 */
final class MeasuredMethods implements ProbeSource {

    private static final Pattern TAG = Pattern.compile("([a-z][a-z0-9_]*)=(.*)");

    private final PerfRegistry registry;
    /** The registry's clock for probes, or null for the system clock (which a probe reads directly). */
    private final LongSupplier clock;

    MeasuredMethods(PerfRegistry registry) {
        this.registry = registry;
        NanoClock nanoClock = registry.config().clock();
        this.clock = nanoClock == NanoClock.system() ? null : nanoClock::nanoTime; // null: the probe calls nanoTime
    }

    @Override
    public boolean isEnabled() {
        return registry.isEnabled();
    }

    @Override
    public MethodProbe resolve(Method method) {
        Found found = find(method);
        return found == null ? null : createProbe(method, found);
    }

    /** Resolves every measured method of {@code type}; throws on the first bad annotation. */
    void resolveAll(Class<?> type) {
        for (Method method : type.getDeclaredMethods()) {
            resolve(method);
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

    private MethodProbe createProbe(Method method, Found found) {
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
            return new MethodProbe(clock, latency, null, null, null, latency.sampleOneIn());
        }
        PerfTimer cpu = registry.timerBuilder(name + ".cpu").description("CPU time of " + name).tags(tagMap)
                .register();
        PerfTimer allocation = registry.timerBuilder(name + ".alloc").description("bytes allocated by " + name)
                .tags(tagMap).unit(MetricUnit.BYTES).register();
        return new MethodProbe(clock, latency, cpu, allocation, registry.callTrees(), 1);
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
