package dev.perfkit.traffic.storage;

import java.util.List;

/**
 * What one write stored. Immutable.
 *
 * @param rowsStored       rows inserted
 * @param duplicateIndexes 0-based indexes (in the order the records were given, across all runs of the call) of the
 *                         records that were not inserted because a record with the same edge and timestamp is
 *                         already stored (or came earlier in the same call)
 */
public record SaveResult(int rowsStored, List<Integer> duplicateIndexes) {

    public SaveResult {
        duplicateIndexes = List.copyOf(duplicateIndexes);
    }

    /** Records skipped as duplicates. */
    public int duplicates() {
        return duplicateIndexes.size();
    }
}
