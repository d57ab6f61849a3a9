package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.model.WorkloadState;
import dev.berth.api.spec.WorkloadSpec;
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.Handle;
import dev.berth.docker.backend.DockerBackendProvider;
import dev.berth.testkit.TestImages;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Workloads outlive the daemon unless it was started with --stop-workloads-on-exit (real docker). */
@Timeout(120)
class DaemonShutdownTest {
    @Test
    void workloadsKeepRunningWhenTheDaemonStops() throws Exception {
        assertStateAfterShutdown(false, WorkloadState.RUNNING);
    }

    @Test
    void stopWorkloadsOnExitStopsThem() throws Exception {
        assertStateAfterShutdown(true, WorkloadState.EXITED);
    }

    private static void assertStateAfterShutdown(boolean stopOnExit, WorkloadState expected) throws Exception {
        var fixture = DaemonFixture.start(DockerBackendProvider.docker(), Map.of(), false, stopOnExit);
        String handle;
        try (var client = fixture.client()) {
            boolean docker = client.info().backends().stream().anyMatch(b -> b.name().equals("docker") && b.available());
            if (!docker && !String.valueOf(System.getenv("BERTH_REQUIRE_BACKENDS")).contains("docker")) {
                fixture.close();
                Assumptions.abort("docker is not available here");
            }
            TestImages.ensureImported(client, "docker");
            handle = client.run(WorkloadSpec.builder("shutdown-" + stopOnExit, TestImages.BUSYBOX)
                    .command("/bin/sh", "-c", "trap 'exit 0' TERM; sleep 300 & wait").build()).handle();
        }
        fixture.daemon.close();
        try (Backend docker = DockerBackendProvider.docker().open(Map.of())) {
            var h = new Handle("docker", handle);
            try {
                assertThat(docker.inspect(h).state()).isEqualTo(expected);
            } finally {
                docker.remove(h);
                fixture.close();
            }
        }
    }
}
