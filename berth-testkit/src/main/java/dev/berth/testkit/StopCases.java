package dev.berth.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.model.WorkloadState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** stop: SIGTERM first, SIGKILL once the grace period has passed. */
public interface StopCases {
    /** The kit instance running these cases (the backend's conformance test). */
    BackendConformance kit();

    Duration GRACE = Duration.ofSeconds(2);



    @Test
    default void stopKillsAProcessThatIgnoresTermOnceTheGraceHasPassed() {
        var spec = kit().busybox("ignore-term", "sh", "-c", "trap '' TERM; echo ready; sleep 100").build();
        kit().berth().run(spec);
        kit().awaitLogLine(spec.name(), BackendConformance.READY);

        long start = System.nanoTime();
        var stopped = kit().berth().stop(spec.name(), GRACE);
        var took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).as("stop waited for the grace period").isGreaterThanOrEqualTo(GRACE.minusMillis(200));
        assertThat(took).as("stop killed soon after the grace period").isLessThan(GRACE.plusSeconds(8));
        assertThat(stopped.state()).isEqualTo(WorkloadState.EXITED);
        var exit = kit().berth().inspect(spec.name()).exit();
        assertThat(exit.code()).isEqualTo(137);
        assertThat(exit.signal()).isEqualTo("SIGKILL");
    }

    @Test
    default void stopEndsAProcessThatHandlesTermWithoutWaitingForTheGrace() {
        var spec = kit().busybox("handle-term", "sh", "-c",
                "trap 'exit 3' TERM; echo ready; while true; do sleep 0.1; done").build();
        kit().berth().run(spec);
        kit().awaitLogLine(spec.name(), BackendConformance.READY);

        long start = System.nanoTime();
        kit().berth().stop(spec.name(), Duration.ofSeconds(20));
        var took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).as("stop returned once the TERM handler exited").isLessThan(Duration.ofSeconds(8));
        var exit = kit().berth().inspect(spec.name()).exit();
        assertThat(exit.code()).as("exit code chosen by the TERM handler").isEqualTo(3);
        assertThat(exit.signal()).isNull();
    }
}
