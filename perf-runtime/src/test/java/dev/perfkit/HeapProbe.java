package dev.perfkit;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Heap in use after full collections: the memory a test's objects retain, not what they left as garbage. */
final class HeapProbe {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private HeapProbe() {
    }

    /** Used heap in bytes after collections have settled (three in a row without a drop of more than 1%). */
    static long usedAfterGc() throws InterruptedException {
        long previous = Long.MAX_VALUE;
        long used = 0;
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(20); // lets reference processing and finalisation of the collection finish
            used = MEMORY.getHeapMemoryUsage().getUsed();
            if (used > previous * 0.99 && i >= 2) {
                break;
            }
            previous = used;
        }
        return used;
    }
}
