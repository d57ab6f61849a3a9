package dev.berth.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.WorkloadState;
import dev.berth.api.spec.HttpProbe;
import dev.berth.api.spec.Readiness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Readiness probes: run blocks until the probe passes and the workload is READY (and stays READY
 * in inspect); a probe that never passes fails with a timeout naming it and leaves the record
 * FAILED; a workload that exits first ends the wait at once.
 */
public interface ReadinessCases {
    /** The kit instance running these cases (the backend's conformance test). */
    BackendConformance kit();

    /** Each server below starts after this delay, so a run that returns early is caught. */
    Duration DELAY = Duration.ofSeconds(1);

    @Test
    default void tcpReadinessWaitsUntilThePortListens() {
        var spec = kit().busybox("ready-tcp", "sh", "-c", "sleep 1; exec nc -ll -p 7000 -e echo hi")
                .readiness(new Readiness(7000, null, null, null, "10s")).build();

        assertReadyAfterTheDelay(() -> kit().berth().run(spec).state());
        assertThat(kit().berth().inspect(spec.name()).state()).isEqualTo(WorkloadState.READY);
    }

    @Test
    default void httpReadinessWaitsForASuccessfulResponse() {
        var spec = kit().busybox("ready-http", "sh", "-c",
                        "mkdir -p /srv && echo ok > /srv/index.html && sleep 1 && exec httpd -f -p 8080 -h /srv")
                .readiness(new Readiness(null, new HttpProbe(8080, "/index.html"), null, null, "10s")).build();

        assertReadyAfterTheDelay(() -> kit().berth().run(spec).state());
        assertThat(kit().berth().inspect(spec.name()).state()).isEqualTo(WorkloadState.READY);
    }

    @Test
    default void logReadinessWaitsForAMatchingLine() {
        var spec = kit().busybox("ready-log", "sh", "-c", "echo starting; sleep 1; echo 'listening on 9000' >&2; exec sleep 1000")
                .readiness(new Readiness(null, null, "listening on \\d+", null, "10s")).build();

        assertReadyAfterTheDelay(() -> kit().berth().run(spec).state());
        assertThat(kit().berth().inspect(spec.name()).state()).isEqualTo(WorkloadState.READY);
    }

    @Test
    default void execReadinessWaitsForExitCodeZero() {
        var spec = kit().busybox("ready-exec", "sh", "-c", "sleep 1; touch /tmp/ready; exec sleep 1000")
                .readiness(new Readiness(null, null, null, List.of("test", "-f", "/tmp/ready"), "10s")).build();

        assertReadyAfterTheDelay(() -> kit().berth().run(spec).state());
        assertThat(kit().berth().inspect(spec.name()).state()).isEqualTo(WorkloadState.READY);
    }

    @Test
    default void aProbeThatNeverPassesTimesOutNamingTheProbeAndLeavesTheRecordFailed() {
        var spec = kit().busybox("ready-never", "sleep", "1000")
                .readiness(new Readiness(7000, null, null, null, "2s")).build();

        var error = kit().expectError(ErrorCode.TIMEOUT, () -> kit().berth().run(spec));

        assertThat(error.getMessage()).contains("readiness", "tcp port 7000", "2s");
        var status = kit().berth().inspect(spec.name());
        assertThat(status.state()).isEqualTo(WorkloadState.FAILED);
        assertThat(status.message()).contains("tcp port 7000");
    }

    @Test
    default void aWorkloadThatExitsBeforeItIsReadyEndsTheWaitWithItsExitCode() {
        var spec = kit().busybox("ready-exits", "sh", "-c", "exit 3")
                .readiness(new Readiness(7000, null, null, null, "30s")).build();
        long start = System.nanoTime();

        var error = kit().expectError(ErrorCode.CONFLICT, () -> kit().berth().run(spec));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(error.getMessage()).contains("exited with code 3", "tcp port 7000");
        var status = kit().berth().inspect(spec.name());
        assertThat(status.state()).isEqualTo(WorkloadState.EXITED);
        assertThat(status.exit().code()).isEqualTo(3);
    }

    private static void assertReadyAfterTheDelay(java.util.function.Supplier<WorkloadState> run) {
        long start = System.nanoTime();
        WorkloadState state = run.get();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(state).isEqualTo(WorkloadState.READY);
        assertThat(took).as("run waited for the server, which starts after %s", DELAY).isGreaterThanOrEqualTo(DELAY.minusMillis(100));
    }
}
