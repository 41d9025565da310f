package dev.perfkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.perfkit.fixture.Fixtures.Thrower;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A woven method's exception reaches the caller as the same instance with the same stack trace, and is counted. */
@ExtendWith(FreshRegistry.class)
class ExceptionTransparencyTest {

    private final Thrower thrower = new Thrower();

    @Test
    void uncheckedException_isTheSameInstanceWithUnchangedTrace() {
        IllegalArgumentException failure = new IllegalArgumentException("boom");

        Throwable caught = catchThrowable(() -> thrower.unchecked(failure));

        assertThat(caught).isSameAs(failure);
        assertThat(caught.getStackTrace()).isEqualTo(thrower.lastTrace);
        assertThat(caught.getSuppressed()).isEmpty();
        assertThat(caught.getCause()).isNull();
    }

    @Test
    void checkedException_passesThroughUnwrapped() {
        IOException failure = new IOException("disk");

        Throwable caught = catchThrowable(() -> thrower.checked(failure));

        assertThat(caught).isSameAs(failure);
        assertThat(caught.getStackTrace()).isEqualTo(thrower.lastTrace);
    }

    @Test
    void error_fromProfiledMethod_passesThrough() {
        AssertionError failure = new AssertionError("fatal");

        assertThat(catchThrowable(() -> thrower.error(failure))).isSameAs(failure);
        assertThat(Perf.registry().snapshot("thrower.error").orElseThrow().errors()).isEqualTo(1);
        assertThat(Perf.registry().snapshot("thrower.error.cpu").orElseThrow().count()).isEqualTo(1);
    }

    @Test
    void exceptionCreatedInsideWovenMethod_keepsItsOriginalTrace() {
        Throwable caught = catchThrowable(thrower::fresh);

        assertThat(caught).isInstanceOf(IllegalStateException.class).hasMessage("fresh");
        assertThat(caught.getStackTrace()).isEqualTo(thrower.lastTrace);
        assertThat(caught.getStackTrace()[0].getMethodName()).startsWith("fresh");
    }

    @Test
    void errors_areCountedPerExceptionClass_andIncludedInCount() {
        catchThrowable(() -> thrower.unchecked(new IllegalArgumentException()));
        catchThrowable(() -> thrower.unchecked(new IllegalArgumentException()));
        catchThrowable(() -> thrower.unchecked(new UnsupportedOperationException()));

        TimerSnapshot snapshot = Perf.registry().snapshot("thrower.unchecked").orElseThrow();
        assertThat(snapshot.count()).isEqualTo(3);
        assertThat(snapshot.errors()).isEqualTo(3);
        assertThat(snapshot.errorsByType())
                .containsEntry(IllegalArgumentException.class.getName(), 2L)
                .containsEntry(UnsupportedOperationException.class.getName(), 1L);
    }
}
