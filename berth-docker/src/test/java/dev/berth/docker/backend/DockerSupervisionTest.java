package dev.berth.docker.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.error.BerthException;
import dev.berth.api.model.EventType;
import dev.berth.api.model.ExecRequest;
import dev.berth.api.model.WorkloadState;
import dev.berth.api.spec.RestartMode;
import dev.berth.api.spec.WorkloadSpec;
import dev.berth.api.spi.Backend;
import dev.berth.api.spi.BackendProvider;
import dev.berth.api.spi.Handle;
import dev.berth.engine.Engine;
import dev.berth.engine.store.SqliteStateStore;
import dev.berth.engine.store.WorkloadRecord;
import dev.berth.testkit.BackendConformance;
import dev.berth.testkit.FollowedEvents;
import dev.berth.testkit.TestImages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A supervising engine (the daemon's) on the real dockerd: exits are recorded by the engine's
 * watcher as they happen, and restart policies are Docker's own (the backend declares
 * RESTART_POLICY), so the engine follows Docker's restarts and never adds its own.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DockerSupervisionTest {
    private static final Duration EVENT_WITHIN = Duration.ofSeconds(30);
    /** Longer than Docker's and the engine's first restart pauses (100 ms, then 200 ms). */
    private static final Duration NO_RESTART_WITHIN = Duration.ofSeconds(2);
    /** Exits with {@code code} once the test creates /tmp/go, so the watcher is surely waiting by then. */
    private static final String EXIT_ON_GO = "while [ ! -f /tmp/go ]; do sleep 0.05; done; rm /tmp/go; exit ";

    @TempDir
    Path dataDir;

    private final String runId = UUID.randomUUID().toString().substring(0, 6);
    private final List<String> created = new ArrayList<>();
    private Backend backend;
    private Engine engine;
    private FollowedEvents events;

    private BackendProvider provider() {
        return DockerBackendProvider.docker();
    }

    @BeforeEach
    void open() {
        try {
            backend = provider().open(Map.of());
        } catch (BerthException e) {
            String required = String.valueOf(System.getenv(BackendConformance.REQUIRE_ENV));
            if (Arrays.asList(required.split(",")).contains(provider().name())) {
                throw new AssertionError("backend '" + provider().name() + "' is required but unavailable: " + e.getMessage(), e);
            }
            Assumptions.abort("backend '" + provider().name() + "' is unavailable: " + e.getMessage());
        }
        engine = Engine.builder().dataDir(dataDir).provider(provider()).defaultBackend(provider().name()).build();
        TestImages.ensureImported(engine, provider().name());
        engine.superviseWorkloads();
        events = new FollowedEvents(engine, EVENT_WITHIN);
    }

    @AfterEach
    void close() {
        if (engine == null) {
            return;
        }
        try {
            events.close();
            for (String name : created) {
                engine.remove(name, true);
            }
            assertThat(engine.supervisedWorkloads()).as("watchers left after their workloads were removed").isEmpty();
        } finally {
            engine.close();
            backend.close();
        }
    }

    private String name(String label) {
        String name = "sv-" + runId + "-" + label;
        created.add(name);
        return name;
    }

    private WorkloadSpec.Builder shell(String name, String script) {
        return WorkloadSpec.builder(name, TestImages.BUSYBOX).command("/bin/sh", "-c", script);
    }

    private void go(String name) {
        assertThat(engine.exec(name, ExecRequest.of("touch", "/tmp/go")).exitCode()).isZero();
    }

    /** What the engine wrote, read beside it without asking docker (a read through the engine would fold). */
    private WorkloadRecord record(String name) {
        try (var store = new SqliteStateStore(dataDir)) {
            return store.get(name).orElseThrow();
        }
    }

    @Test
    void theWatcherRecordsTheRealExitCodeWithoutAnyClientCall() {
        String job = name("job");
        engine.run(shell(job, EXIT_ON_GO + "7").build());
        events.next(job, EventType.STARTED);

        go(job);

        assertThat(events.next(job, EventType.EXITED).detail()).isEqualTo("code 7");
        WorkloadRecord recorded = record(job);
        assertThat(recorded.state()).isEqualTo(WorkloadState.EXITED);
        assertThat(recorded.exit().code()).isEqualTo(7);
        assertThat(recorded.finishedAt()).isNotNull();
    }

    @Test
    void anAlwaysWorkloadIsRestartedByDockerAndNotAgainByTheEngine() {
        String web = name("web");
        // The first run exits 3 when told; the restarted one stays up.
        engine.run(shell(web, "if [ -f /tmp/ran ]; then exec sleep 1000; fi; touch /tmp/ran; " + EXIT_ON_GO + "3")
                .restart(RestartMode.ALWAYS, 0).build());
        events.next(web, EventType.STARTED);

        go(web);

        assertThat(events.next(web, EventType.EXITED, EventType.RESTARTED).detail()).isEqualTo("code 3");
        assertThat(events.next(web, EventType.EXITED, EventType.RESTARTED).detail()).isEqualTo("restart 1 by backend docker");
        events.assertQuiet(web, NO_RESTART_WITHIN);
        var status = engine.inspect(web);
        assertThat(status.state()).isEqualTo(WorkloadState.RUNNING);
        assertThat(status.restartCount()).isEqualTo(1);
        assertThat(backend.inspect(new Handle(backend.name(), status.handle())).restartCount())
                .as("docker's own count: one restart, not two").isEqualTo(1);
        assertThat(engine.supervisedWorkloads()).contains(web);
    }

    @Test
    void aUsersStopOfAnAlwaysWorkloadHolds() {
        String web = name("stopped");
        engine.run(shell(web, "trap 'exit 0' TERM; sleep 1000 & wait").restart(RestartMode.ALWAYS, 0).build());

        engine.stop(web, Duration.ofSeconds(5));

        assertThat(events.next(web, EventType.STOPPED)).isNotNull();
        events.assertQuiet(web, NO_RESTART_WITHIN);
        assertThat(engine.inspect(web).state()).isEqualTo(WorkloadState.EXITED);
        assertThat(record(web).stoppedByUser()).isTrue();
    }
}
