package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.model.ExecRequest;
import dev.berth.api.model.ReconcileReport;
import dev.berth.api.model.WorkloadState;
import dev.berth.api.spec.WorkloadSpec;
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.BackendProvider;
import dev.berth.engine.Engine;
import dev.berth.testkit.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exit codes and running workloads survive the engine: conmon, not Berth, watches the container,
 * so a workload that ends while no engine runs reports its real code to the next one.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OciRecoveryTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> IDLE = List.of("/bin/sh", "-c", "trap 'exit 0' TERM; sleep 1000 & wait");

    @TempDir
    Path dataDir;

    private final String runId = UUID.randomUUID().toString().substring(0, 6);
    private Engine engine;

    @BeforeEach
    void open() {
        engine = engine();
        TestImages.ensureImported(engine, OciBackendProvider.NAME);
    }

    private Engine engine() {
        return Engine.builder().dataDir(dataDir).provider(OciBackendProvider.oci()).defaultBackend(OciBackendProvider.NAME).build();
    }

    /** The backend alone, on the engine's data dir: what happens behind Berth's back. */
    private Backend backend(String ownerId) {
        return OciBackendProvider.oci().open(Map.of(BackendProvider.DATA_DIR, dataDir.toString(), BackendProvider.OWNER_ID, ownerId));
    }

    @Test
    void workloadThatExitsWhileNoEngineRunsReportsItsRealExitCodeAfterReconcile() {
        String job = "rc-" + runId + "-exit42";
        Engine first = engine;
        engine = null;
        engine = ExitWhileNoEngineRuns.exit42(first, job, this::engine, this::backend);

        var status = engine.inspect(job);
        assertThat(status.state()).isEqualTo(WorkloadState.EXITED);
        assertThat(status.exit().code()).isEqualTo(42);
        assertThat(status.finishedAt()).isNotNull();
        assertThat(engine.logs(job, dev.berth.api.model.LogQuery.ALL).toList()).isEmpty();
    }

    @Test
    void runningWorkloadIsReattachedByANewEngineAndExecReachesIt() {
        String web = "rc-" + runId + "-web";
        engine.run(WorkloadSpec.builder(web, TestImages.BUSYBOX).command(IDLE).build());
        engine.close();
        engine = engine();

        var outcome = engine.reconcile().workloads().stream().filter(w -> w.name().equals(web)).findFirst().orElseThrow();

        assertThat(outcome.outcome()).isEqualTo(ReconcileReport.Outcome.REATTACHED);
        assertThat(outcome.state()).isEqualTo(WorkloadState.RUNNING);
        assertThat(engine.exec(web, ExecRequest.of("echo", "still here")).stdout()).isEqualTo("still here\n");
    }

    @AfterEach
    void removeEverything() throws Exception {
        if (engine == null) {
            engine = engine();
        }
        try {
            for (var w : engine.list(true)) {
                engine.remove(w.name(), true);
            }
            assertThat(engine.list(true)).isEmpty();
            Path bundles = dataDir.resolve("oci").resolve("bundles");
            try (var left = Files.list(bundles)) {
                assertThat(left.toList()).as("bundles left behind").isEmpty();
            }
        } finally {
            engine.close();
        }
    }
}
