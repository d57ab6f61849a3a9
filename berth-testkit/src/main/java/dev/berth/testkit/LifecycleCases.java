package dev.berth.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.ExitStatus;
import dev.berth.api.model.WorkloadState;
import dev.berth.api.spec.Signal;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** create / start / stop / wait / kill, and how a workload's end is reported. */
public interface LifecycleCases {
    /** The kit instance running these cases (the backend's conformance test). */
    BackendConformance kit();



    @Test
    default void createLeavesTheWorkloadCreatedStartRunsItAndStopExitsIt() {
        var spec = kit().busybox("cycle").command(BackendConformance.IDLE).build();

        var created = kit().berth().create(spec);
        assertThat(created.state()).isEqualTo(WorkloadState.CREATED);
        assertThat(kit().berth().inspect(spec.name()).state()).isEqualTo(WorkloadState.CREATED);

        var started = kit().berth().start(spec.name());
        assertThat(started.state()).isIn(WorkloadState.RUNNING, WorkloadState.READY);
        kit().awaitLogLine(spec.name(), BackendConformance.READY);
        var running = kit().berth().inspect(spec.name());
        assertThat(running.state()).isIn(WorkloadState.RUNNING, WorkloadState.READY);
        assertThat(running.pid()).as("pid").isNotNull().isPositive();
        assertThat(running.ip()).as("ip").isNotBlank();
        assertThat(running.startedAt()).as("startedAt").isNotNull();
        assertThat(kit().berth().list(false)).extracting(s -> s.name()).contains(spec.name());

        var stopped = kit().berth().stop(spec.name(), Duration.ofSeconds(10));
        assertThat(stopped.state()).isEqualTo(WorkloadState.EXITED);
        var exited = kit().berth().inspect(spec.name());
        assertThat(exited.state()).isEqualTo(WorkloadState.EXITED);
        assertThat(exited.exit()).isNotNull();
        assertThat(exited.exit().code()).as("exit code after the TERM handler ran").isZero();
        assertThat(kit().berth().list(false)).extracting(s -> s.name()).doesNotContain(spec.name());
        assertThat(kit().berth().list(true)).extracting(s -> s.name()).contains(spec.name());
    }

    @Test
    default void waitExitReportsZeroForACommandThatSucceeds() {
        var exit = kit().runToExit(kit().busybox("true", "true").build());

        assertThat(exit).isEqualTo(new ExitStatus(0, null, false));
    }

    @Test
    default void waitExitReportsTheExitCodeAndInspectAgrees() {
        var spec = kit().busybox("exit42", "sh", "-c", "exit 42").build();

        var exit = kit().runToExit(spec);

        assertThat(exit.code()).isEqualTo(42);
        assertThat(exit.signal()).isNull();
        var status = kit().berth().inspect(spec.name());
        assertThat(status.state()).isEqualTo(WorkloadState.EXITED);
        assertThat(status.exit().code()).isEqualTo(42);
        assertThat(status.finishedAt()).as("finishedAt").isNotNull();
    }

    @Test
    default void killWithSigkillReportsCode137AndTheSignalName() {
        var spec = kit().busybox("sigkill", "sleep", "1000").build();
        kit().berth().run(spec);

        kit().berth().kill(spec.name(), Signal.SIGKILL);
        var exit = kit().berth().waitExit(spec.name(), BackendConformance.WAIT);

        assertThat(exit.code()).isEqualTo(137);
        assertThat(exit.signal()).isEqualTo("SIGKILL");
        assertThat(exit.oomKilled()).isFalse();
        assertThat(kit().berth().inspect(spec.name()).exit().code()).isEqualTo(137);
    }

    @Test
    default void killDeliversTheRequestedSignalToTheMainProcess() {
        var spec = kit().busybox("sigusr1", "sh", "-c", "trap 'exit 5' USR1; echo ready; sleep 1000 & wait").build();
        kit().berth().run(spec);
        kit().awaitLogLine(spec.name(), BackendConformance.READY);

        kit().berth().kill(spec.name(), Signal.parse("SIGUSR1"));

        assertThat(kit().berth().waitExit(spec.name(), BackendConformance.WAIT).code())
                .as("exit code of the USR1 handler").isEqualTo(5);
    }

    /**
     * PID 1 of a container ignores signals it has no handler for, even from itself; a fault the
     * kernel raises (stack overflow by unbounded recursion) is delivered nevertheless.
     */
    @Test
    default void processDyingOfAFaultSignalReportsCode139AndSigsegv() {
        var exit = kit().runToExit(kit().busybox("sigsegv", "sh", "-c", "f() { f; }; f").build());

        assertThat(exit.code()).isEqualTo(139);
        assertThat(exit.signal()).isEqualTo("SIGSEGV");
    }

    /** The kernel's OOM killer sends SIGKILL; oomKilled is asserted unless the backend reports it as degraded. */
    @Test
    default void outOfMemoryKillReportsSigkillAndOomKilled() {
        var spec = kit().busybox("oom", "sh", "-c", "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo survived")
                .resources(null, "32Mi", null).build();

        var exit = kit().runToExit(spec);

        assertThat(exit.code()).isEqualTo(137);
        assertThat(exit.signal()).isEqualTo("SIGKILL");
        assertThat(kit().stdout(spec.name())).doesNotContain("survived");
        var degraded = kit().degraded("oom");
        Assumptions.assumeTrue(degraded.isEmpty(), () -> "backend reports OOM detection as degraded: " + degraded);
        assertThat(exit.oomKilled()).as("oomKilled from waitExit").isTrue();
        assertThat(kit().berth().inspect(spec.name()).exit().oomKilled()).as("oomKilled from inspect").isTrue();
    }

    @Test
    default void operationsOnAnUnknownWorkloadAreNotFound() {
        String ghost = kit().name("ghost");

        kit().expectError(ErrorCode.NOT_FOUND, () -> kit().berth().inspect(ghost));
        kit().expectError(ErrorCode.NOT_FOUND, () -> kit().berth().start(ghost));
        kit().expectError(ErrorCode.NOT_FOUND, () -> kit().berth().stop(ghost, Duration.ofSeconds(1)));
        kit().expectError(ErrorCode.NOT_FOUND, () -> kit().berth().waitExit(ghost, Duration.ofSeconds(1)));
    }
}
