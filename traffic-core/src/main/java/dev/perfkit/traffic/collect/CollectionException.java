package dev.perfkit.traffic.collect;

/**
 * Collection failed (after the retries its policy allows). Messages never contain an API key.
 */
public class CollectionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CollectionException(String message) {
        super(message);
    }
}
