package dev.perfkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perfkit.fixture.Fixtures.Async;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A returned CompletionStage is timed until it completes, with a manual clock. */
class AsyncTimingTest {

    private final ManualNanoClock clock = new ManualNanoClock();
    private final PerfRegistry registry = new PerfRegistry(PerfConfig.builder().clock(clock).build());
    @RegisterExtension
    final FreshRegistry installed = new FreshRegistry(registry);

    @Test
    void stage_isTimedUntilCompletion_andReturnedAsTheSameInstance() {
        CompletableFuture<String> future = new CompletableFuture<>();

        CompletableFuture<String> returned = new Async().later(future);
        assertThat(returned).isSameAs(future);
        assertThat(registry.snapshot("async.stage").orElseThrow().count()).isZero();

        clock.advanceNanos(5_000_000);
        future.complete("done");

        TimerSnapshot snapshot = registry.snapshot("async.stage").orElseThrow();
        assertThat(snapshot.count()).isEqualTo(1);
        assertThat(snapshot.errors()).isZero();
        assertThat(snapshot.max()).isBetween(4_950_000L, 5_050_000L);
        assertThat(returned.join()).isEqualTo("done");
    }

    @Test
    void exceptionalCompletion_countsAsErrorOfTheCauseClass() {
        CompletableFuture<String> future = new CompletableFuture<>();
        new Async().later(future);

        clock.advanceNanos(1_000);
        future.completeExceptionally(new IllegalStateException("remote down"));

        TimerSnapshot snapshot = registry.snapshot("async.stage").orElseThrow();
        assertThat(snapshot.errors()).isEqualTo(1);
        assertThat(snapshot.errorsByType()).containsOnlyKeys(IllegalStateException.class.getName());
    }
}
