package dev.perfkit.traffic.storage;

import java.time.Duration;
import java.util.Objects;

/**
 * Connection-pool and durability settings of a {@link TrafficStore}. Immutable; {@link #builder()} starts from the
 * defaults.
 */
public final class StoreOptions {

    /**
     * SQLite {@code synchronous} setting, always with {@code journal_mode=WAL}.
     *
     * <ul>
     *   <li>{@link #NORMAL} (default): in WAL mode a commit is appended to the WAL file before {@code commit()}
     *       returns, and the WAL is fsynced at checkpoints. A process that is killed (even {@code kill -9}) after a
     *       commit loses nothing, because the data is already in the file (the operating system's page cache); only
     *       an operating-system crash or power loss can roll back the last commits. It avoids one fsync per commit,
     *       which keeps a 100-row save in the low milliseconds (see BENCHMARKS.md).</li>
     *   <li>{@link #FULL}: the WAL is also fsynced at every commit, so commits survive power loss too, at the cost
     *       of one fsync (typically 0.1-10 ms, depending on the disk) per transaction.</li>
     * </ul>
     */
    public enum Durability { NORMAL, FULL }

    private static final StoreOptions DEFAULTS = new Builder().build();

    private final int maxPoolSize;
    private final Duration busyTimeout;
    private final Duration connectionTimeout;
    private final Durability durability;
    private final String username;
    private final String password;

    private StoreOptions(Builder b) {
        this.maxPoolSize = b.maxPoolSize;
        this.busyTimeout = b.busyTimeout;
        this.connectionTimeout = b.connectionTimeout;
        this.durability = b.durability;
        this.username = b.username;
        this.password = b.password;
    }

    /** Pool of 4, busy timeout 5 s, connection timeout 10 s, {@link Durability#NORMAL}, no credentials. */
    public static StoreOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int maxPoolSize() {
        return maxPoolSize;
    }

    public Duration busyTimeout() {
        return busyTimeout;
    }

    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    public Durability durability() {
        return durability;
    }

    String username() {
        return username;
    }

    String password() {
        return password;
    }

    /** The password is never shown. */
    @Override
    public String toString() {
        return "StoreOptions[maxPoolSize=" + maxPoolSize + ", busyTimeout=" + busyTimeout + ", connectionTimeout="
                + connectionTimeout + ", durability=" + durability + ", username=" + username + ", password="
                + (password == null ? "none" : "****") + "]";
    }

    /** Starts from the defaults. Not thread-safe. */
    public static final class Builder {
        private int maxPoolSize = 4;
        private Duration busyTimeout = Duration.ofSeconds(5);
        private Duration connectionTimeout = Duration.ofSeconds(10);
        private Durability durability = Durability.NORMAL;
        private String username;
        private String password;

        private Builder() {
        }

        /** Connections in the pool, in [1, 64]. */
        public Builder maxPoolSize(int connections) {
            if (connections < 1 || connections > 64) {
                throw new IllegalArgumentException("maxPoolSize must be in [1, 64], got " + connections);
            }
            this.maxPoolSize = connections;
            return this;
        }

        /**
         * How long SQLite retries a write while another connection holds the write lock before failing with
         * "database is locked", in [0 ms, 10 min].
         */
        public Builder busyTimeout(Duration timeout) {
            requireRange("busyTimeout", timeout, Duration.ZERO);
            this.busyTimeout = timeout;
            return this;
        }

        /** How long to wait for a free pooled connection, in [250 ms, 10 min]. */
        public Builder connectionTimeout(Duration timeout) {
            requireRange("connectionTimeout", timeout, Duration.ofMillis(250));
            this.connectionTimeout = timeout;
            return this;
        }

        public Builder durability(Durability mode) {
            this.durability = Objects.requireNonNull(mode, "durability");
            return this;
        }

        /** Credentials for a server database (PostgreSQL); ignored by SQLite. */
        public Builder credentials(String user, String secret) {
            this.username = user;
            this.password = secret;
            return this;
        }

        public StoreOptions build() {
            return new StoreOptions(this);
        }

        private static void requireRange(String name, Duration value, Duration min) {
            Objects.requireNonNull(value, name);
            if (value.compareTo(min) < 0 || value.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException(name + " must be in [" + min.toMillis() + " ms, 10 min], got "
                        + value.toMillis() + " ms");
            }
        }
    }
}
