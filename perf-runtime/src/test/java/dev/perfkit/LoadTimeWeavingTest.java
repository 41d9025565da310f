package dev.perfkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles a host class with plain javac (so nothing is woven at build time), then runs it in a child JVM under the
 * real AspectJ load-time weaver with perf-runtime's shipped META-INF/aop.xml plus the host's one-line include.
 */
class LoadTimeWeavingTest {

    private static final String HOST = """
            package ltw.host;

            import dev.perfkit.Perf;
            import dev.perfkit.TimerSnapshot;
            import dev.perfkit.annotation.Profiled;
            import dev.perfkit.annotation.Timed;

            public class Main {
                @Timed("ltw.greet")
                String greet(String name) {
                    return "hello " + name;
                }

                @Profiled("ltw.work")
                int work(int n) {
                    if (n < 0) {
                        throw new IllegalArgumentException("n=" + n);
                    }
                    return n * 2;
                }

                public static void main(String[] args) {
                    Main main = new Main();
                    String last = "";
                    for (int i = 0; i < 10; i++) {
                        last = main.greet("w" + i);
                    }
                    main.work(21);
                    RuntimeException thrown = new IllegalArgumentException("probe");
                    try {
                        main.work(-1);
                    } catch (IllegalArgumentException e) {
                        thrown = e;
                    }
                    System.out.println("RESULT=" + last);
                    System.out.println("THROWN=" + thrown.getMessage());
                    for (String name : new String[] {"ltw.greet", "ltw.work", "ltw.work.cpu", "ltw.work.alloc"}) {
                        TimerSnapshot s = Perf.registry().snapshot(name).orElse(null);
                        System.out.println(name + "=" + (s == null ? -1 : s.count()) + "/" + (s == null ? -1 : s.errors()));
                    }
                }
            }
            """;

    @Test
    void javaagentWeaver_timesHostCode_withOnlyTheHostsPackageNamed(@TempDir Path dir) throws Exception {
        String classPath = System.getProperty("java.class.path");
        Path sources = Files.createDirectories(dir.resolve("src/ltw/host"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Path source = Files.writeString(sources.resolve("Main.java"), HOST);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int compiled = javac.run(null, null, null, "-d", classes.toString(), "-cp", classPath, source.toString());
        assertThat(compiled).as("javac exit code").isZero();
        Files.createDirectories(classes.resolve("META-INF"));
        Files.writeString(classes.resolve("META-INF/aop.xml"),
                "<aspectj><weaver><include within=\"ltw.host..*\"/></weaver></aspectj>");

        List<String> output = runChild(classes + File.pathSeparator + classPath, dir);

        assertThat(output).contains("RESULT=hello w9", "THROWN=n=-1",
                "ltw.greet=10/0", "ltw.work=2/1", "ltw.work.cpu=2/0", "ltw.work.alloc=2/0");
    }

    private static List<String> runChild(String classPath, Path dir) throws IOException, InterruptedException {
        String weaver = System.getProperty("aspectjweaver.jar");
        assertThat(weaver).as("system property aspectjweaver.jar (set by the build)").isNotBlank();
        Path log = dir.resolve("child.log");
        Process process = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + weaver,
                "-cp", classPath,
                "ltw.host.Main")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean finished = process.waitFor(60, TimeUnit.SECONDS);
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertThat(finished).as("child finished; output: %s", lines).isTrue();
        assertThat(process.exitValue()).as("child exit code; output: %s", lines).isZero();
        return lines;
    }
}
