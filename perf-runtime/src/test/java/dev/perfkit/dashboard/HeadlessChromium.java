package dev.perfkit.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Drives the real Chromium binary headless: dumps the DOM after scripts ran, and takes screenshots. */
public final class HeadlessChromium {

    private HeadlessChromium() {
    }

    /** The Chromium binary, or null when it is not installed (CI installs Debian's chromium). */
    public static Path binary() {
        for (String candidate : new String[] {"/usr/bin/chromium", "/usr/bin/chromium-browser",
                "/usr/bin/google-chrome"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        return null;
    }

    /** The DOM of {@code url} after its scripts have run for up to {@code budgetMillis} of virtual time. */
    public static String dumpDom(String url, Path workDir, int budgetMillis) throws IOException, InterruptedException {
        return run(workDir, "--virtual-time-budget=" + budgetMillis, "--dump-dom", url);
    }

    /** Saves a PNG screenshot of {@code url} to {@code png}. */
    public static void screenshot(String url, Path png, Path workDir, int budgetMillis)
            throws IOException, InterruptedException {
        run(workDir, "--virtual-time-budget=" + budgetMillis, "--window-size=1280,1800",
                "--screenshot=" + png.toAbsolutePath(), url);
    }

    private static String run(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary().toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + Files.createTempDirectory(workDir, "chromium-profile")));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(workDir, "chromium", ".out");
        Path err = Files.createTempFile(workDir, "chromium", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("chromium did not finish in 90 s: " + Files.readString(err));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
