package dev.perfkit.examples.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code traffic-perf}: runs the instrumented Ho Chi Minh City traffic pipeline and prints how fast each step was
 * against its target.
 *
 * <p>Exit codes: 0 success, 1 failure (bad input, I/O, the data directory held by another writer), 2 usage error,
 * 3 a target was missed with {@code --check-targets}, 4 {@code run --input --strict} found rejected rows.
 */
@Command(name = "traffic-perf",
        mixinStandardHelpOptions = true,
        version = "traffic-perf 0.1.0",
        description = "Runs the instrumented traffic-forecast pipeline and reports its performance against targets.",
        subcommands = {RunCommand.class, ReportCommand.class, ServeCommand.class, CommandLine.HelpCommand.class})
public final class TrafficPerf implements Runnable {

    /** Success. */
    public static final int EXIT_OK = 0;
    /** A failure: malformed input, I/O error, a failed cycle, or the data directory held by another writer. */
    public static final int EXIT_FAILURE = 1;
    /** Usage error: unknown option or bad option value. */
    public static final int EXIT_USAGE = 2;
    /** {@code --check-targets}: at least one timer missed its target. */
    public static final int EXIT_TARGET_MISSED = 3;
    /** {@code run --input --strict}: at least one row of the file is defective; nothing was stored. */
    public static final int EXIT_REJECTED_ROWS = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code, without exiting; for tests and embedding. */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new TrafficPerf());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("traffic-perf: " + describe(e));
            return EXIT_FAILURE;
        });
        return cli.execute(args);
    }

    /** A failure as one line naming its cause; file-system errors say which file and what went wrong. */
    static String describe(Throwable e) {
        if (e instanceof FileSystemException fs) {
            String what = fs instanceof AccessDeniedException ? "permission denied"
                    : fs instanceof FileAlreadyExistsException ? "already exists (and is not a directory)"
                    : fs instanceof NoSuchFileException ? "no such file or directory"
                    : fs instanceof NotDirectoryException ? "not a directory"
                    : fs.getReason() != null ? fs.getReason() : fs.getClass().getSimpleName();
            return fs.getFile() + (fs.getOtherFile() == null ? "" : " -> " + fs.getOtherFile()) + ": " + what;
        }
        if (e instanceof java.io.UncheckedIOException unchecked && unchecked.getCause() != null) {
            return unchecked.getMessage() + ": " + describe(unchecked.getCause());
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: run, report or serve");
    }
}
