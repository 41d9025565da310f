package dev.perfkit.examples.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server of the end-to-end tests: {@code PERFKIT_TEST_PG_URL}, as set by {@code .ci/postgres.sh}.
 * Unset or unreachable: the test is skipped with a message on a developer's machine and fails when {@code CI=true}.
 * (The same rule as traffic-core's storage tests; test sources are not shared between modules.)
 */
final class PostgresServer {

    private PostgresServer() {
    }

    /** A new empty schema on the server, as a JDBC URL with {@code currentSchema} set. */
    static String freshSchemaUrl() throws SQLException {
        String url = System.getenv("PERFKIT_TEST_PG_URL");
        String problem;
        if (url == null || url.isBlank()) {
            problem = "PERFKIT_TEST_PG_URL is not set (source .ci/postgres.sh to start a server)";
        } else {
            String schema = "e2e_" + ProcessHandle.current().pid() + "_" + (System.nanoTime() & 0xffffff);
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
                return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
            } catch (SQLException e) {
                problem = "no PostgreSQL server at PERFKIT_TEST_PG_URL: " + e.getMessage();
            }
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true but " + problem);
        }
        Assumptions.abort("PostgreSQL test skipped: " + problem);
        throw new AssertionError("unreachable");
    }

    static void dropSchema(String schemaUrl) throws SQLException {
        String schema = schemaUrl.substring(schemaUrl.lastIndexOf("currentSchema=") + "currentSchema=".length());
        try (Connection c = DriverManager.getConnection(schemaUrl); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
