package dev.perfkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perfkit.fixture.Fixtures.Hot;
import dev.perfkit.fixture.Fixtures.Sampled;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Woven calls in steady state allocate nothing, measured with the thread's allocation counter. */
@ExtendWith(FreshRegistry.class)
class ZeroAllocationTest {

    private static final int CALLS = 100_000;
    /**
     * A tiny constant: a latency falling into a power-of-two range this thread has not used before allocates that
     * range's 1 KiB chunk once. One 16-byte object per call would be 1.6 MB.
     */
    private static final long TOLERANCE_BYTES = 8 * 1_040;

    private static com.sun.management.ThreadMXBean threads;

    @BeforeAll
    static void requireAllocationCounter() {
        threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);
    }

    @Test
    void timedCalls_allocateNothingInSteadyState() {
        Hot hot = new Hot();
        long sink = 0;
        for (int i = 0; i < 3 * CALLS; i++) {
            sink += hot.next(); // warm-up: resolve the join point, allocate the value ranges, compile
        }

        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < CALLS; i++) {
            sink += hot.next();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(sink).isPositive();
        assertThat(allocated).as("bytes allocated by %d woven calls", CALLS).isLessThan(TOLERANCE_BYTES);
        assertThat(Perf.registry().snapshot("hot.timed").orElseThrow().count()).isEqualTo(4L * CALLS);
    }

    @Test
    void sampledTimedCalls_allocateNothingInSteadyState() {
        Sampled sampled = new Sampled();
        long sink = 0;
        for (int i = 0; i < 3 * CALLS; i++) {
            sink += sampled.next();
        }

        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < CALLS; i++) {
            sink += sampled.next();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(sink).isPositive();
        assertThat(allocated).as("bytes allocated by %d sampled woven calls", CALLS).isLessThan(TOLERANCE_BYTES);
        assertThat(Perf.registry().snapshot("sampled.next").orElseThrow().count()).isEqualTo(4L * CALLS);
    }

    @Test
    void profiledCalls_allocateNothingInSteadyState() {
        Hot hot = new Hot();
        long sink = 0;
        for (int i = 0; i < 3 * CALLS; i++) {
            sink += hot.profiled();
        }

        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < CALLS; i++) {
            sink += hot.profiled();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(sink).isPositive();
        assertThat(allocated).as("bytes allocated by %d profiled calls", CALLS).isLessThan(TOLERANCE_BYTES);
        TimerSnapshot allocation = Perf.registry().snapshot("hot.profiled.alloc").orElseThrow();
        assertThat(allocation.count()).isEqualTo(4L * CALLS);
    }

    @Test
    void directRecording_allocatesNothingInSteadyState() {
        PerfTimer timer = Perf.registry().timer("direct.record");
        for (int i = 0; i < 3 * CALLS; i++) {
            timer.record(i & 1023);
        }

        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < CALLS; i++) {
            timer.record(i & 1023);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(allocated).isLessThan(TOLERANCE_BYTES);
    }
}
