package dev.perfkit.examples.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the command's main class (or another) in a child JVM with the test class path, in a working directory. */
final class ChildJvm {

    record Result(int exitCode, String stdout, String stderr) {
        String all() {
            return stdout + stderr;
        }
    }

    private ChildJvm() {
    }

    static List<String> command(List<String> jvmArgs, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    static Process start(Path workDir, List<String> command) throws IOException {
        return new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(workDir.resolve("stdout.txt").toFile())
                .redirectError(workDir.resolve("stderr.txt").toFile())
                .start();
    }

    static Result finish(Path workDir, Process process) throws IOException, InterruptedException {
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child JVM did not finish in 120 s: " + read(workDir, "stdout.txt")
                    + read(workDir, "stderr.txt"));
        }
        return new Result(process.exitValue(), read(workDir, "stdout.txt"), read(workDir, "stderr.txt"));
    }

    /** Runs {@code traffic-perf args...} to completion. */
    static Result trafficPerf(Path workDir, String... args) throws IOException, InterruptedException {
        return finish(workDir, start(workDir, command(List.of(), TrafficPerf.class.getName(), args)));
    }

    static String read(Path workDir, String file) throws IOException {
        Path path = workDir.resolve(file);
        return Files.exists(path) ? Files.readString(path, StandardCharsets.UTF_8) : "";
    }
}
