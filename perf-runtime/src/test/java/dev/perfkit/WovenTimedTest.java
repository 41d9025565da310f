package dev.perfkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.perfkit.fixture.Fixtures;
import dev.perfkit.fixture.Fixtures.Misconfigured;
import dev.perfkit.fixture.Fixtures.Repository;
import dev.perfkit.fixture.Fixtures.ReportBuilder;
import dev.perfkit.fixture.Fixtures.Service;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Compile-time woven classes record into the installed registry under the expected names. */
@ExtendWith(FreshRegistry.class)
class WovenTimedTest {

    private final Service service = new Service();

    private static long count(String name) {
        return Perf.registry().snapshot(name).map(TimerSnapshot::count).orElse(-1L);
    }

    @Test
    void methodAnnotation_countsEveryCall() {
        for (int i = 0; i < 7; i++) {
            service.doNothing();
        }
        service.echo("x");

        assertThat(count("service.void")).isEqualTo(7);
        assertThat(count("service.object")).isEqualTo(1);
    }

    @Test
    void returnValues_ofEveryKind_areUnchanged() {
        assertThat(service.echo("same")).isEqualTo("same");
        assertThat(service.plusOne(41)).isEqualTo(42);
        assertThat(service.twice(1L << 40)).isEqualTo(1L << 41);
        assertThat(service.half(3.0)).isEqualTo(1.5);
        assertThat(service.not(false)).isTrue();
        assertThat(service.third(3f)).isEqualTo(1f);
        assertThat(service.shortOf(70_000)).isEqualTo((short) 70_000);
        assertThat(service.byteOf(300)).isEqualTo((byte) 300);
        assertThat(service.charOf('q')).isEqualTo('q');
        assertThat(service.arrayOf(5)).containsExactly(5);
        assertThat(Service.staticMethod(9)).isEqualTo(9);

        for (String name : new String[] {"service.object", "service.int", "service.long", "service.double",
                "service.boolean", "service.float", "service.short", "service.byte", "service.char", "service.array",
                "service.static"}) {
            assertThat(count(name)).as(name).isEqualTo(1);
        }
    }

    @Test
    void emptyValue_derivesSnakeCaseClassAndMethod() {
        service.derivedName();

        assertThat(count("service.derived_name")).isEqualTo(1);
    }

    @Test
    void attributes_areCarriedToTheTimer() {
        service.tagged();

        PerfTimer timer = Perf.registry().find("service.tagged").orElseThrow();
        assertThat(timer.id().description()).isEqualTo("has tags");
        assertThat(timer.id().target()).isEqualTo(2_000_000);
        assertThat(timer.id().tags()).isEqualTo(Map.of("layer", "core", "db", "none"));
    }

    @Test
    void privateAnnotatedMethod_isTimedToo() {
        service.callPrivate(3);

        assertThat(count("service.private")).isEqualTo(1);
    }

    @Test
    void typeAnnotation_timesPublicMethodsWithPrefix_andMethodAnnotationWins() {
        Repository repository = new Repository();
        repository.find(1);
        repository.find(2);
        repository.saveAll();
        repository.overridden();
        repository.profiledHere();
        repository.callPackagePrivate();

        assertThat(count("repo.find")).isEqualTo(2);
        assertThat(count("repo.save_all")).isEqualTo(1);
        assertThat(count("repo.custom_name")).isEqualTo(1);
        assertThat(count("repo.overridden")).isEqualTo(-1);
        assertThat(count("repository.profiled_here")).isEqualTo(1);
        assertThat(count("repository.profiled_here.cpu")).isEqualTo(1);
        assertThat(count("repo.call_package_private")).isEqualTo(1);
        assertThat(count("repo.package_private")).as("non-public methods are not covered by a type annotation")
                .isEqualTo(-1);
    }

    @Test
    void typeAnnotationWithoutValue_derivesNamesFromClass() {
        new ReportBuilder().buildReport();

        assertThat(count("report_builder.build_report")).isEqualTo(1);
        assertThat(count("report_builder.build_report.alloc")).isEqualTo(1);
    }

    @Test
    void profiled_recordsLatencyCpuAndAllocation() {
        service.allocate(1_000);

        assertThat(count("service.profiled")).isEqualTo(1);
        assertThat(count("service.profiled.cpu")).isEqualTo(1);
        TimerSnapshot allocation = Perf.registry().snapshot("service.profiled.alloc").orElseThrow();
        assertThat(allocation.unit()).isEqualTo(MetricUnit.BYTES);
        assertThat(allocation.count()).isEqualTo(1);
        assertThat(allocation.max()).as("a long[1000] is at least 8000 bytes").isGreaterThanOrEqualTo(8_000);
    }

    @Test
    void bothAnnotations_profileOnce() {
        service.both(1);

        assertThat(count("service.both")).isEqualTo(1);
        assertThat(count("service.both.cpu")).isEqualTo(1);
    }

    @Test
    void badTarget_failsValidationNamingMethodAndValue_butTheMethodStillRuns() {
        assertThatThrownBy(() -> Perf.registry().validate(Misconfigured.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Misconfigured.badTarget")
                .hasMessageContaining("\"fast\"");

        assertThat(new Misconfigured().badTarget(5)).isEqualTo(5);
        assertThat(count("bad.target")).isEqualTo(-1);
    }

    @Test
    void badTag_failsValidationNamingMethodAndTag_butTheMethodStillRuns() {
        assertThatThrownBy(() -> Perf.registry().validate(Fixtures.BadTags.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BadTags.badTag")
                .hasMessageContaining("no-equals-sign");

        assertThat(new Fixtures.BadTags().badTag(6)).isEqualTo(6);
        assertThat(count("bad.tag")).isEqualTo(-1);
    }

    @Test
    void disabled_recordsNothing_andReEnabled_recordsAgain() {
        Perf.setEnabled(false);
        service.doNothing();
        Perf.setEnabled(true);
        service.doNothing();

        assertThat(count("service.void")).isEqualTo(1);
    }

    @Test
    void installingAnotherRegistry_resolvesJoinPointsAgainstIt() {
        service.doNothing();
        PerfRegistry other = new PerfRegistry();
        PerfRegistry previous = Perf.setRegistry(other);
        try {
            service.doNothing();
            service.doNothing();
        } finally {
            Perf.setRegistry(previous);
        }

        assertThat(count("service.void")).isEqualTo(1);
        assertThat(other.snapshot("service.void").orElseThrow().count()).isEqualTo(2);
    }

    @Test
    void validate_createsTimersForEveryAnnotatedMethod() {
        Perf.registry().validate(Fixtures.Hot.class);

        assertThat(Perf.registry().find("hot.timed")).isPresent();
        assertThat(Perf.registry().find("hot.profiled.alloc")).isPresent();
    }
}
