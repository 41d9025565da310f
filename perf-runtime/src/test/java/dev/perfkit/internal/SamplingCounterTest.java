package dev.perfkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** {@link SamplingCounter}: exact under owners, non-owners, terminated owners and concurrent reads. */
class SamplingCounterTest {

    @Test
    void cellCount_isTwiceTheCores_asAPowerOfTwo_between2And64() {
        assertThat(SamplingCounter.cellCount(1)).isEqualTo(2);
        assertThat(SamplingCounter.cellCount(2)).isEqualTo(4);
        assertThat(SamplingCounter.cellCount(3)).isEqualTo(8);
        assertThat(SamplingCounter.cellCount(8)).isEqualTo(16);
        assertThat(SamplingCounter.cellCount(48)).isEqualTo(64);
        assertThat(SamplingCounter.cellCount(1024)).isEqualTo(64);
    }

    @Test
    void manyMoreThreadsThanCells_countExactly() throws Exception {
        SamplingCounter counter = new SamplingCounter();
        int threads = 200;
        int perThread = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread writer = new Thread(() -> {
                awaitQuietly(start);
                for (int i = 0; i < perThread; i++) {
                    counter.increment();
                }
            });
            writer.start();
            writers.add(writer);
        }
        start.countDown();
        for (Thread writer : writers) {
            writer.join();
        }
        assertThat(counter.sum()).isEqualTo((long) threads * perThread);
    }

    @Test
    void threadsThatFollowTerminatedOwners_takeOverTheirCells_andLoseNothing() throws Exception {
        SamplingCounter counter = new SamplingCounter();
        long expected = 0;
        // Generations of threads, one after another: each finds its cell owned by a terminated thread.
        for (int generation = 0; generation < 50; generation++) {
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Thread writer = new Thread(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        counter.increment();
                    }
                });
                writer.start();
                writers.add(writer);
                expected += 5_000;
            }
            for (Thread writer : writers) {
                writer.join();
            }
            assertThat(counter.sum()).isEqualTo(expected);
        }
    }

    @Test
    void sum_whileWritersCount_neverGoesBack_andEndsExact() throws Exception {
        SamplingCounter counter = new SamplingCounter();
        int threads = 6;
        int perThread = 200_000;
        AtomicBoolean backwards = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    counter.increment();
                }
                done.countDown();
            }).start();
        }
        long last = 0;
        while (done.getCount() > 0) {
            long now = counter.sum();
            if (now < last) {
                backwards.set(true);
            }
            last = now;
        }
        assertThat(backwards).isFalse();
        assertThat(counter.sum()).isEqualTo((long) threads * perThread);
    }

    @Test
    void countUnlessSampled_countsEveryCallItDoesNotSample_andSamplesAboutOneInN() throws Exception {
        SamplingCounter counter = new SamplingCounter();
        int threads = 40; // more than the cells: owners and non-owners both
        int perThread = 64_000;
        LongAdder sampled = new LongAdder();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread writer = new Thread(() -> {
                long mine = 0;
                for (int i = 0; i < perThread; i++) {
                    if (!counter.countUnlessSampled(63)) {
                        mine++;
                    }
                }
                sampled.add(mine);
            });
            writer.start();
            writers.add(writer);
        }
        for (Thread writer : writers) {
            writer.join();
        }
        long calls = (long) threads * perThread;
        assertThat(counter.sum() + sampled.sum()).isEqualTo(calls);
        // One in 64 expected: 40,000 samples; a binomial's spread is about 200.
        assertThat(sampled.sum()).isBetween(calls / 64 - 2_000, calls / 64 + 2_000);
    }

    @Test
    void anOwner_samplesWithGapsDrawnFrom1To2NMinus1_soNotPeriodically() {
        SamplingCounter counter = new SamplingCounter();
        int calls = 1_000_000;
        Set<Integer> gaps = new HashSet<>();
        int last = -1;
        long samples = 0;
        for (int i = 0; i < calls; i++) {
            if (!counter.countUnlessSampled(15)) {
                if (last >= 0) {
                    gaps.add(i - last);
                }
                last = i;
                samples++;
            }
        }
        assertThat(counter.sum()).isEqualTo(calls - samples);
        assertThat(samples).isBetween(calls / 16 - 3_000L, calls / 16 + 3_000L);
        // Gaps are drawn from [1, 31]: most of them occur, none outside.
        assertThat(gaps).hasSizeGreaterThan(25).allMatch(gap -> gap >= 1 && gap <= 31);
    }

    @Test
    void increment_betweenSampledCalls_neverStopsTheSampling() {
        SamplingCounter counter = new SamplingCounter();
        long samples = 0;
        for (int i = 0; i < 100_000; i++) {
            counter.increment();
            if (!counter.countUnlessSampled(7)) {
                samples++;
            }
        }
        assertThat(samples).isBetween(100_000L / 8 - 1_500, 100_000L / 8 + 1_500);
        assertThat(counter.sum()).isEqualTo(200_000 - samples);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
