package dev.perfkit.examples.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host example under the real load-time weaver, as the README runs it. */
class HostAppTest {

    @Test
    void hostApp_underJavaagent_readsItsOwnNumbersThroughTheApiAndMicrometer(@TempDir Path dir) throws Exception {
        String weaver = System.getProperty("aspectjweaver.jar");
        assertThat(weaver).as("aspectjweaver.jar system property (set by the build)").isNotBlank();
        Path out = dir.resolve("out.txt");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + weaver, "-cp", System.getProperty("java.class.path"), HostApp.class.getName(), "500")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(out, StandardCharsets.UTF_8);

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).containsPattern("shop\\.orders\\.place\\s+-\\s+501\\s");
        assertThat(output).contains("shop.orders.place: 501 calls, 1 errors {java.lang.IllegalArgumentException=1}");
        assertThat(output).containsPattern("shop\\.price\\s+50\\.0 us\\s+500\\s");
        assertThat(output).containsPattern("shop\\.receipt\\.alloc\\s+-\\s+1\\s");
        assertThat(output).contains("Micrometer bridge:").containsPattern("shop\\.orders\\.place\\s+count=501");
        assertThat(output).doesNotContain("traffic.");
    }

    @Test
    void hostApp_withoutAgent_saysHowToWeave(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.txt");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HostApp.class.getName(), "10")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(Files.readString(out)).contains("start the JVM with -javaagent");
    }
}
