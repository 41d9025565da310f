package dev.perfkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.perfkit.fixture.HierarchyDriver;
import dev.perfkit.fixture.Jdks;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules of which methods an annotation reaches hold at load time as at compile time: the fixture of
 * {@code AnnotationRulesTest} ({@code Hierarchy}) is compiled by plain javac, then run in a child JVM under the
 * AspectJ agent, and every cell's timers (name, count, target, tags) must equal the compile-time woven run's, whose
 * expectations {@code AnnotationRulesTest} states one by one. Once with the running JDK, once with host classes
 * compiled for Java 21 and run on a JDK 21+.
 */
class AnnotationRulesLoadTimeTest {

    private static final Path FIXTURES = Path.of("src/test/java/dev/perfkit/fixture");

    @Test
    void loadTimeWeaving_onTheRunningJdk_matchesCompileTimeWeaving_cellByCell(@TempDir Path dir) throws Exception {
        Path home = Path.of(System.getProperty("java.home"));

        Map<String, String> loadTime = runWoven(home, "--release", Integer.toString(Runtime.version().feature()), dir);

        assertThat(loadTime).isEqualTo(HierarchyDriver.runAll());
    }

    @Test
    void hostClassesCompiledForJava21_wovenAtLoadTimeOnJdk21Plus_matchCompileTimeWeaving(@TempDir Path dir)
            throws Exception {
        Optional<Path> jdk = Jdks.atLeast(21);
        assumeTrue(jdk.isPresent(), "no JDK 21+ installed beside JDK " + Runtime.version() + " (looked in $JVM_DIR or "
                + "/usr/lib/jvm)");

        Map<String, String> loadTime = runWoven(jdk.get(), "--release", "21", dir);

        assertThat(loadTime).isEqualTo(HierarchyDriver.runAll());
    }

    /** Compiles the fixture with {@code home}'s javac, runs the driver under the agent on {@code home}'s java. */
    private static Map<String, String> runWoven(Path home, String releaseFlag, String release, Path dir)
            throws IOException, InterruptedException {
        String runtimeClassPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes")) // the compile-time woven copy of the fixture
                .collect(Collectors.joining(File.pathSeparator));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        List<String> javac = new ArrayList<>(List.of(home.resolve("bin/javac").toString(), releaseFlag, release,
                "-d", classes.toString(), "-cp", runtimeClassPath));
        for (String source : List.of("Hierarchy.java", "HierarchyDriver.java")) {
            javac.add(FIXTURES.resolve(source).toString());
        }
        run(javac, dir.resolve("javac.log"));
        Files.createDirectories(classes.resolve("META-INF"));
        Files.writeString(classes.resolve("META-INF/aop.xml"),
                "<aspectj><weaver><include within=\"dev.perfkit.fixture..*\"/></weaver></aspectj>");
        String weaver = System.getProperty("aspectjweaver.jar");
        assertThat(weaver).as("system property aspectjweaver.jar (set by the build)").isNotBlank();
        List<String> output = run(List.of(home.resolve("bin/java").toString(), "-javaagent:" + weaver, "-cp",
                classes + File.pathSeparator + runtimeClassPath, "dev.perfkit.fixture.HierarchyDriver"),
                dir.resolve("child.log"));
        Map<String, String> cells = new TreeMap<>();
        for (String line : output) {
            if (line.startsWith("CELL ")) {
                int eq = line.indexOf('=');
                cells.put(line.substring(5, eq), line.substring(eq + 1));
            }
        }
        assertThat(cells).as("child output: %s", output).isNotEmpty();
        return cells;
    }

    private static List<String> run(List<String> command, Path log) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = process.waitFor(120, TimeUnit.SECONDS);
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertThat(finished).as("%s finished; output: %s", command.get(0), lines).isTrue();
        assertThat(process.exitValue()).as("%s exit code; output: %s", command.get(0), lines).isZero();
        return lines;
    }
}
