package dev.perfkit.traffic.storage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server the tests run against: {@code PERFKIT_TEST_PG_URL} (a JDBC URL with credentials; {@code
 * .ci/postgres.sh} starts a server on loopback and sets it). Where it is unset or unreachable the PostgreSQL tests are
 * skipped with a message on a developer's machine, and fail when {@code CI=true}: CI always runs them.
 *
 * <p>Each test gets its own schema ({@link #freshSchemaUrl()}), dropped by {@link #dropSchema(String)}.
 */
final class PostgresTestDatabase {

    static final String URL_VARIABLE = "PERFKIT_TEST_PG_URL";
    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private PostgresTestDatabase() {
    }

    /** The server's URL, after checking that it answers; skips or fails the calling test as described above. */
    static String requireServer() {
        String url = System.getenv(URL_VARIABLE);
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        String problem = null;
        if (url == null || url.isBlank()) {
            problem = URL_VARIABLE + " is not set (source .ci/postgres.sh to start a server)";
        } else {
            try (Connection connection = DriverManager.getConnection(url)) {
                return url;
            } catch (SQLException e) {
                problem = "no PostgreSQL server at " + TrafficStore.maskUrl(url) + ": " + e.getMessage();
            }
        }
        if (ci) {
            throw new IllegalStateException("CI=true but " + problem);
        }
        Assumptions.abort("PostgreSQL tests skipped: " + problem);
        throw new AssertionError("unreachable");
    }

    /** Creates a new empty schema and returns the server URL with {@code currentSchema} set to it. */
    static String freshSchemaUrl() throws SQLException {
        String url = requireServer();
        String schema = String.format(Locale.ROOT, "t%d_%d_%d", ProcessHandle.current().pid(),
                System.nanoTime() & 0xffffff, SCHEMAS.incrementAndGet());
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** Drops the schema of a URL made by {@link #freshSchemaUrl()}, with everything in it. */
    static void dropSchema(String schemaUrl) throws SQLException {
        String schema = schemaUrl.substring(schemaUrl.lastIndexOf("currentSchema=") + "currentSchema=".length());
        try (Connection connection = DriverManager.getConnection(schemaUrl);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
