package dev.perfkit.traffic.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database that fills up during a save. A full disk needs a small file system (root to mount one), so the database
 * is made full with SQLite's own {@code PRAGMA max_page_count} on the store's only pooled connection: SQLite reports
 * the same {@code SQLITE_FULL} as on a full disk. The error names the cause and the free space; nothing of the save is
 * stored, earlier saves stay.
 */
class FullDatabaseTest {

    private static final LocalDateTime T0 = LocalDateTime.of(2025, 10, 30, 7, 0);

    @TempDir
    Path dir;

    @Test
    void save_intoAFullDatabase_failsNamingTheFullDatabaseAndTheFreeSpace_andStoresNothingOfIt() throws Exception {
        StoreOptions oneConnection = StoreOptions.builder().maxPoolSize(1).build();
        try (TrafficStore store = TrafficStore.open(dir.resolve("traffic.db"), oneConnection)) {
            store.save(T0, TrafficStoreContract.records(T0, 5, "before-"));
            try (Connection connection = store.connection(); Statement statement = connection.createStatement()) {
                long pages;
                try (ResultSet rs = statement.executeQuery("PRAGMA page_count")) {
                    rs.next();
                    pages = rs.getLong(1);
                }
                statement.execute("PRAGMA max_page_count = " + (pages + 2)); // room for a few rows, not thousands
            }

            assertThatThrownBy(() -> store.save(T0.plusMinutes(1), TrafficStoreContract.records(T0.plusMinutes(1), 5_000,
                    "many-")))
                    .isInstanceOf(TrafficStoreException.class)
                    .hasMessageContaining("save of 5000 rows (rolled back, nothing stored)")
                    .hasMessageContaining("SQLITE_FULL")
                    .hasMessageContaining("the database or the disk holding it is full")
                    .hasMessageContaining("MiB free on the file system holding traffic.db")
                    .hasMessageNotContaining("no transaction is active");
            assertThat(store.count()).isEqualTo(5);
        }
    }
}
