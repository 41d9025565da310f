package dev.perfkit.traffic.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Names the cause of an SQLite failure in words a user can act on: a full disk (with the free space of the file
 * system holding the database), a write error, a read-only file or file system, a file that cannot be opened. SQLite
 * rolls a transaction back by itself after some of these, so the statement that reports the failure may be a later
 * {@code COMMIT} saying only that no transaction is active; that is named too.
 */
final class SqliteFailures {

    private static final int SQLITE_READONLY = 8;
    private static final int SQLITE_IOERR = 10;
    private static final int SQLITE_FULL = 13;
    private static final int SQLITE_CANTOPEN = 14;

    private SqliteFailures() {
    }

    /** The cause of {@code e} on the database file {@code jdbc:sqlite:<file>}, or "" when there is nothing to add. */
    static String cause(SQLException e, String jdbcUrl) {
        int primaryCode = e.getErrorCode() & 0xff;
        String message = String.valueOf(e.getMessage());
        return switch (primaryCode) {
            case SQLITE_FULL -> "; the database or the disk holding it is full" + freeSpace(jdbcUrl);
            case SQLITE_IOERR -> "; a write to the database failed: a full disk, a file size limit (ulimit -f) or a "
                    + "failing device" + freeSpace(jdbcUrl);
            case SQLITE_READONLY -> "; the database cannot be written: the file, its directory or its file system is "
                    + "read-only (permission denied)";
            case SQLITE_CANTOPEN -> "; the database file cannot be opened: its directory is missing or not "
                    + "writable (permission denied)";
            default -> message.contains("no transaction is active")
                    ? "; SQLite had already rolled the transaction back, as it does when the disk is full or a write "
                    + "fails" + freeSpace(jdbcUrl) : "";
        };
    }

    /** {@code " (N MiB free on the file system holding the database)"}, or "" when that cannot be told. */
    static String freeSpace(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:sqlite:")) {
            return "";
        }
        try {
            Path file = Path.of(jdbcUrl.substring("jdbc:sqlite:".length())).toAbsolutePath();
            Path directory = file.getParent();
            if (directory == null || !Files.isDirectory(directory)) {
                return "";
            }
            long usable = Files.getFileStore(directory).getUsableSpace();
            return String.format(Locale.ROOT, " (%.1f MiB free on the file system holding %s)",
                    usable / (1024.0 * 1024.0), file.getFileName());
        } catch (IOException | RuntimeException unknown) {
            return "";
        }
    }
}
