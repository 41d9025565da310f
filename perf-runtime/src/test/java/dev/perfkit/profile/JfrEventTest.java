package dev.perfkit.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perfkit.FreshRegistry;
import dev.perfkit.fixture.Fixtures.Thrower;
import dev.perfkit.fixture.Fixtures.Service;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(FreshRegistry.class)
class JfrEventTest {

    @Test
    void recording_containsOneEventPerProfiledCall_withFields(@TempDir Path dir) throws Exception {
        Service service = new Service();
        Thrower thrower = new Thrower();
        Path file = dir.resolve("calls.jfr");
        try (Recording recording = new Recording()) {
            recording.enable(ProfiledCallEvent.NAME);
            recording.start();
            for (int i = 0; i < 5; i++) {
                service.allocate(1_000);
            }
            try {
                thrower.error(new AssertionError("x"));
            } catch (AssertionError expected) {
                // recorded with its outcome
            }
            recording.stop();
            recording.dump(file);
        }

        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals(ProfiledCallEvent.NAME)).toList();

        assertThat(events).hasSize(6);
        List<RecordedEvent> allocations = events.stream()
                .filter(e -> e.getString("metric").equals("service.profiled")).toList();
        assertThat(allocations).hasSize(5).allSatisfy(e -> {
            assertThat(e.getString("outcome")).isEqualTo("success");
            assertThat(e.getLong("allocated")).isGreaterThanOrEqualTo(8_000);
            assertThat(e.getDuration().toNanos()).isPositive();
        });
        assertThat(events).anySatisfy(e -> assertThat(e.getString("outcome"))
                .isEqualTo(AssertionError.class.getName()));
    }

    @Test
    void noRecording_noEvents_andCallsStillRecorded() {
        Service service = new Service();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++) {
            service.allocate(0); // warm: resolve, compile, allocate the value ranges
        }

        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            service.allocate(0);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        // The method allocates one empty long[] (16 bytes) per call; an event object would add at least 24 more.
        assertThat(allocated).as("bytes allocated by 10,000 calls without a recording")
                .isLessThan(10_000L * 16 + 8 * 1_040);
        assertThat(dev.perfkit.Perf.registry().snapshot("service.profiled").orElseThrow().count()).isEqualTo(30_000);
    }

    @Test
    void recordingWithTheEventDisabled_containsNoneOfIt(@TempDir Path dir) throws Exception {
        Service service = new Service();
        Path file = dir.resolve("disabled.jfr");
        try (Recording recording = new Recording()) {
            recording.disable(ProfiledCallEvent.NAME);
            recording.start();
            service.allocate(10);
            recording.stop();
            recording.dump(file);
        }

        assertThat(RecordingFile.readAllEvents(file))
                .noneMatch(e -> e.getEventType().getName().equals(ProfiledCallEvent.NAME));
        assertThat(dev.perfkit.Perf.registry().snapshot("service.profiled").orElseThrow().count()).isEqualTo(1);
    }
}
