package dev.perfkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.perfkit.fixture.Hierarchy;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Which methods an annotation reaches, cell by cell, with real compile-time weaving: the timers each call creates
 * (name and count), and nothing else. The same rules at load time: {@code AnnotationRulesLoadTimeTest}.
 */
@ExtendWith(FreshRegistry.class)
class AnnotationRulesTest {

    /** Every timer of the registry with its count: what the calls recorded, and nothing more. */
    private static Map<String, Long> timers() {
        Map<String, Long> counts = new TreeMap<>();
        for (TimerSnapshot s : Perf.registry().snapshots()) {
            counts.put(s.name(), s.count());
        }
        return counts;
    }

    @Test
    void composedAnnotationOnAMethod_isTimedWithTheMetaAnnotationsAttributes() {
        Hierarchy.ComposedOnMethods composed = new Hierarchy.ComposedOnMethods();

        assertThat(composed.timedRepo(1)).isEqualTo(2);

        assertThat(timers()).containsExactly(entry("composed_on_methods.timed_repo", 1L));
        PerfTimer timer = Perf.registry().find("composed_on_methods.timed_repo").orElseThrow();
        assertThat(timer.id().target()).isEqualTo(5_000_000);
        assertThat(timer.id().tags()).containsExactly(entry("layer", "repo"));
    }

    @Test
    void composedProfiledAnnotation_isProfiled() {
        assertThat(new Hierarchy.ComposedOnMethods().profiledService(1)).isEqualTo(3);

        assertThat(timers()).containsOnlyKeys("composed_on_methods.profiled_service",
                "composed_on_methods.profiled_service.cpu", "composed_on_methods.profiled_service.alloc");
        assertThat(Perf.registry().profile().paths()).singleElement()
                .satisfies(p -> assertThat(p.key()).isEqualTo("composed_on_methods.profiled_service"));
    }

    @Test
    void composedAnnotationOnAType_reachesItsPublicMethods() {
        assertThat(new Hierarchy.ComposedOnType().find(1)).isEqualTo(4);

        assertThat(timers()).containsExactly(entry("composed_on_type.find", 1L));
        assertThat(Perf.registry().find("composed_on_type.find").orElseThrow().id().tags())
                .containsExactly(entry("layer", "repo"));
    }

    @Test
    void timedAndProfiledOnOneMethod_profiledWins_oneTimer() {
        assertThat(new Hierarchy.Winners().both(1)).isEqualTo(5);

        assertThat(timers()).containsOnly(entry("winner.both", 1L), entry("winner.both.cpu", 1L),
                entry("winner.both.alloc", 1L));
    }

    @Test
    void methodAnnotation_winsOverTypeAnnotation_andTheTypeReachesTheRest() {
        Hierarchy.Winners winners = new Hierarchy.Winners();

        assertThat(winners.methodOverType(1)).isEqualTo(6);
        assertThat(winners.typeOnly(1)).isEqualTo(7);
        assertThat(Hierarchy.Winners.staticPublic(1)).isEqualTo(9);

        assertThat(timers()).containsOnly(entry("winner.method", 1L), entry("winner.type.type_only", 1L),
                entry("winner.type.static_public", 1L));
    }

    @Test
    void typeAnnotation_doesNotReachObjectMethods_norNonPublicMethods() {
        Hierarchy.Winners winners = new Hierarchy.Winners();

        assertThat(winners.toString()).isEqualTo("Winners");
        assertThat(winners.equals(new Hierarchy.Winners())).isTrue();
        assertThat(winners.hashCode()).isEqualTo(7);
        assertThat(Hierarchy.Winners.callPackagePrivate(winners, 1)).isEqualTo(10);

        assertThat(timers()).containsExactly(entry("winner.type.call_package_private", 1L));
    }

    @Test
    void interfaceTypeAnnotation_reachesItsMethodsInImplementations_withTheInterfacesAttributes() {
        Hierarchy.Repository repository = new Hierarchy.RepositoryImpl();

        assertThat(repository.find(1)).isEqualTo(12);
        assertThat(repository.findById(1)).isEqualTo(13);
        assertThat(repository.defaultMethod(1)).isEqualTo(11);
        assertThat(((Hierarchy.RepositoryImpl) repository).helper(1)).isEqualTo(14);

        assertThat(timers()).containsOnly(entry("repo.find", 1L), entry("repo.by_id", 1L),
                entry("repo.default_method", 1L));
        assertThat(Perf.registry().find("repo.by_id").orElseThrow().id().target())
                .as("the interface method's own annotation refines the type's").isEqualTo(2_000_000);
    }

    @Test
    void interfaceTypeAnnotationWithoutValue_namesDeriveFromTheInterface_anonymousClassesToo() {
        assertThat(new Hierarchy.OrderRepositoryImpl().findAll(1)).isEqualTo(15);
        assertThat(Hierarchy.anonymousOrderRepository().findAll(1)).isEqualTo(16);

        assertThat(timers()).containsExactly(entry("order_repository.find_all", 2L));
    }

    @Test
    void interfaceMethodAnnotation_withoutATypeAnnotation_reachesDefaultMethodsOnly() {
        Hierarchy.MethodAnnotatedOnly only = new Hierarchy.MethodAnnotatedOnlyImpl();

        assertThat(only.work(1)).isEqualTo(18);
        assertThat(only.defaultWork(1)).isEqualTo(17);

        assertThat(timers()).containsExactly(entry("only.default.method", 1L));
    }

    @Test
    void superclassTypeAnnotation_reachesOverrides_andItsMethodAnnotationsRefineThem() {
        Hierarchy.Sub sub = new Hierarchy.Sub();

        assertThat(sub.work(1)).isEqualTo(21);
        assertThat(sub.profiledWork(1)).isEqualTo(22);
        assertThat(sub.extra(1)).isEqualTo(23);

        assertThat(timers()).containsOnly(entry("base.work", 1L), entry("base.profiled_work", 1L),
                entry("base.profiled_work.cpu", 1L), entry("base.profiled_work.alloc", 1L));
    }

    @Test
    void interfaceAndClassDisagreeing_theClassIsNearerAndWins_oneTimer() {
        assertThat(new Hierarchy.DisagreeingImpl().act(1)).isEqualTo(24);

        assertThat(timers()).containsExactly(entry("disagree.class.act", 1L));
    }

    @Test
    void genericInterface_bridgeMethodIsNotTimedTwice() {
        Hierarchy.Source<String> source = new Hierarchy.StringSource();

        assertThat(source.next("a")).isEqualTo("a!");
        assertThat(source.next("b")).isEqualTo("b!");

        assertThat(timers()).containsExactly(entry("generic.next", 2L));
    }

    @Test
    void lambdas_haveNoWovenMethod_andAreNotTimed() {
        assertThat(Hierarchy.viaLambda(1)).isEqualTo(25);
        assertThat(Hierarchy.viaJdkLambda(1)).isEqualTo(26);

        assertThat(timers()).isEmpty();
    }
}
