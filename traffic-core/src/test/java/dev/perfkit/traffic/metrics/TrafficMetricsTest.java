package dev.perfkit.traffic.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perfkit.annotation.Profiled;
import dev.perfkit.annotation.Timed;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every timer name an annotation of traffic-core gives is a constant here, and every constant names a timer. */
class TrafficMetricsTest {

    @Test
    void theConstants_areExactlyTheNamesTheAnnotationsOfTrafficCoreGive() throws Exception {
        Set<String> annotated = new TreeSet<>();
        for (Class<?> type : trafficCoreClasses()) {
            for (Method method : type.getDeclaredMethods()) {
                Timed timed = method.getDeclaredAnnotation(Timed.class);
                if (timed != null) {
                    annotated.add(timed.value());
                }
                Profiled profiled = method.getDeclaredAnnotation(Profiled.class);
                if (profiled != null) {
                    annotated.add(profiled.value());
                }
            }
        }
        Set<String> constants = new TreeSet<>();
        for (Field field : TrafficMetrics.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                constants.add((String) field.get(null));
            }
        }

        assertThat(annotated).as("names given by annotations").isNotEmpty().doesNotContain("");
        assertThat(constants).isEqualTo(annotated);
        assertThat(constants).allMatch(name -> name.matches("traffic\\.[a-z_]+\\.[a-z_]+"));
    }

    /** The compiled classes of traffic-core's main code (the directory or jar TrafficMetrics was loaded from). */
    private static Set<Class<?>> trafficCoreClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(TrafficMetrics.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<Class<?>> classes = new java.util.HashSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String relative = root.relativize(file).toString();
                if (relative.endsWith(".class") && !relative.contains("$")) {
                    String name = relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
                    classes.add(Class.forName(name, false, TrafficMetrics.class.getClassLoader()));
                }
            }
        }
        assertThat(classes).as("classes found under %s", root).hasSizeGreaterThan(20);
        return classes;
    }
}
