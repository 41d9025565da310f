package dev.perfkit.traffic.storage;

/** A storage operation failed; the message names the operation and, for a locked database, how long it waited. */
public class TrafficStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TrafficStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public TrafficStoreException(String message) {
        super(message);
    }
}
