package dev.berth.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.WorkloadState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** restart keeps the workload's filesystem; remove is idempotent and needs force while running. */
public interface RestartRemoveCases {
    /** The kit instance running these cases (the backend's conformance test). */
    BackendConformance kit();



    @Test
    default void restartRunsTheWorkloadAgainAndKeepsItsWritableLayer() {
        var before = kit().runIdle(kit().busybox("restart"));
        String name = before.name();
        assertThat(kit().exec(name, "sh", "-c", "echo kept > /root/marker").exitCode()).isZero();
        var startedBefore = kit().berth().inspect(name);

        var restarted = kit().berth().restart(name, Duration.ofSeconds(10));

        assertThat(restarted.state()).isIn(WorkloadState.RUNNING, WorkloadState.READY);
        var after = kit().berth().inspect(name);
        assertThat(after.state()).isIn(WorkloadState.RUNNING, WorkloadState.READY);
        assertThat(after.startedAt().isAfter(startedBefore.startedAt()) || after.restartCount() > startedBefore.restartCount())
                .as("startedAt %s -> %s or restartCount %d -> %d changed", startedBefore.startedAt(), after.startedAt(),
                        startedBefore.restartCount(), after.restartCount())
                .isTrue();
        Await.until(BackendConformance.WAIT,
                () -> kit().stdout(name).stream().filter(BackendConformance.READY::equals).count() == 2,
                "the restarted process to print 'ready' again");
        var marker = kit().exec(name, "cat", "/root/marker");
        assertThat(marker.stdout()).as("file written before the restart").isEqualTo("kept\n");
    }

    @Test
    default void removeIsIdempotentAndTheWorkloadIsGoneAfterwards() {
        var spec = kit().busybox("remove", "true").build();
        kit().runToExit(spec);

        assertThat(kit().berth().remove(spec.name(), false)).isTrue();
        assertThat(kit().berth().remove(spec.name(), false)).as("second remove").isFalse();

        kit().assertNoWorkload(spec.name());
    }

    @Test
    default void removingARunningWorkloadNeedsForce() {
        String name = kit().runIdle(kit().busybox("remove-running")).name();

        var refused = kit().berthError(() -> kit().berth().remove(name, false));
        assertThat(refused.code()).as(refused.getMessage()).isIn(ErrorCode.CONFLICT, ErrorCode.INVALID_ARGUMENT);
        assertThat(kit().berth().inspect(name).state()).isIn(WorkloadState.RUNNING, WorkloadState.READY);

        assertThat(kit().berth().remove(name, true)).isTrue();

        kit().assertNoWorkload(name);
        assertThat(kit().berth().remove(name, true)).as("remove after force remove").isFalse();
    }
}
