package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.EventType;
import dev.berth.api.model.ExecRequest;
import dev.berth.api.model.WorkloadState;
import dev.berth.api.model.WorkloadStatus;
import dev.berth.api.spec.RestartMode;
import dev.berth.api.spec.WorkloadSpec;
import dev.berth.engine.Engine;
import dev.berth.testkit.Await;
import dev.berth.testkit.FollowedEvents;
import dev.berth.testkit.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Supervision on runc. Restart policies: the OCI backend does not declare RESTART_POLICY, so a
 * supervising engine (the daemon's) restarts exited workloads itself, through the backend's start
 * of an exited container (deleted and created again from the same bundle). autoRemove: the
 * engine removes the workload, bundle and all, once it exited.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OciRestartPolicyTest {
    private static final Duration WITHIN = Duration.ofSeconds(30);
    /** Longer than the engine's first restart pauses (100, 200, 400 ms) plus a create and start. */
    private static final Duration NO_RESTART_WITHIN = Duration.ofSeconds(3);
    /** Exits with {@code code} once the test creates /tmp/go, so the watcher is surely waiting by then. */
    private static final String EXIT_ON_GO = "while [ ! -f /tmp/go ]; do sleep 0.05; done; rm /tmp/go; exit ";

    @TempDir
    Path dataDir;

    private final String runId = UUID.randomUUID().toString().substring(0, 6);
    private final List<String> created = new ArrayList<>();
    private Engine engine;
    private FollowedEvents events;

    @BeforeEach
    void open() {
        engine = Engine.builder().dataDir(dataDir).provider(OciBackendProvider.oci()).defaultBackend(OciBackendProvider.NAME)
                .backendSettings(OciBackendProvider.NAME, Map.of(OciBackendProvider.RUNTIME, "runc")).build();
        TestImages.ensureImported(engine, OciBackendProvider.NAME);
        engine.superviseWorkloads();
        events = new FollowedEvents(engine, WITHIN);
    }

    @AfterEach
    void close() throws Exception {
        try {
            events.close();
            for (String name : created) {
                engine.remove(name, true);
            }
            assertThat(engine.supervisedWorkloads()).as("watchers left after their workloads were removed").isEmpty();
            for (var n : engine.listNetworks()) {
                engine.removeNetwork(n.name());
            }
            try (var left = Files.list(dataDir.resolve("oci").resolve("bundles"))) {
                assertThat(left.toList()).as("bundles left behind").isEmpty();
            }
        } finally {
            engine.close();
        }
    }

    @Test
    void onFailureTwoRestartsExactlyTwiceThenStaysExitedWithTheRealCode() {
        String job = name("onfail");
        engine.run(shell(job, "exit 3").restart(RestartMode.ON_FAILURE, 2).build());

        WorkloadStatus settled = Await.value(WITHIN, () -> {
            WorkloadStatus s = engine.inspect(job);
            return s.state() == WorkloadState.EXITED && s.restartCount() == 2 && !restartPending(s) ? java.util.Optional.of(s)
                    : java.util.Optional.empty();
        }, job + " exited for good after two restarts");

        assertThat(settled.exit().code()).isEqualTo(3);
        events.assertNothingNewOf(job, NO_RESTART_WITHIN);
        var after = engine.inspect(job);
        assertThat(after.state()).isEqualTo(WorkloadState.EXITED);
        assertThat(after.restartCount()).isEqualTo(2);
        assertThat(after.exit().code()).isEqualTo(3);
        assertThat(events.logged(job, EventType.RESTARTED)).hasSize(2)
                .allSatisfy(e -> assertThat(e.detail()).contains("by restart policy on-failure"));
        assertThat(events.logged(job, EventType.EXITED)).hasSize(3).allSatisfy(e -> assertThat(e.detail()).isEqualTo("code 3"));
    }

    @Test
    void alwaysRestartsAWorkloadThatExitedCleanly() {
        String web = name("always");
        // The first run exits 0 when told; the restarted one stays up.
        engine.run(shell(web, "if [ -f /tmp/ran ]; then exec sleep 1000; fi; touch /tmp/ran; " + EXIT_ON_GO + "0")
                .restart(RestartMode.ALWAYS, 0).build());
        events.next(web, EventType.STARTED);

        go(web);

        assertThat(events.next(web, EventType.EXITED).detail()).isEqualTo("code 0");
        assertThat(events.next(web, EventType.RESTARTED).detail()).startsWith("restart 1 by restart policy always");
        Await.until(WITHIN, () -> engine.inspect(web).state() == WorkloadState.RUNNING, web + " running again");
        events.assertNothingNewOf(web, NO_RESTART_WITHIN);
        var status = engine.inspect(web);
        assertThat(status.restartCount()).isEqualTo(1);
        assertThat(engine.exec(web, ExecRequest.of("cat", "/tmp/ran")).exitCode())
                .as("the restarted run sees the first run's file: same bundle, same writable layer").isZero();
        assertThat(engine.supervisedWorkloads()).contains(web);
    }

    @Test
    void aUsersStopOfAnAlwaysWorkloadHolds() {
        String web = name("stopped");
        engine.run(shell(web, "trap 'exit 0' TERM; sleep 1000 & wait").restart(RestartMode.ALWAYS, 0).build());

        engine.stop(web, Duration.ofSeconds(5));

        assertThat(events.next(web, EventType.STOPPED)).isNotNull();
        events.assertNothingNewOf(web, NO_RESTART_WITHIN);
        assertThat(engine.inspect(web).state()).isEqualTo(WorkloadState.EXITED);
        assertThat(events.logged(web, EventType.RESTARTED)).isEmpty();
    }

    @Test
    void aUsersStopEndsACrashLoop() {
        String loop = name("loop");
        engine.run(shell(loop, "exit 1").restart(RestartMode.ALWAYS, 0).build());
        Await.until(WITHIN, () -> engine.inspect(loop).restartCount() >= 2, loop + " restarted twice");

        engine.stop(loop, Duration.ofSeconds(5));

        assertThat(events.next(loop, EventType.STOPPED)).isNotNull();
        events.assertNothingNewOf(loop, NO_RESTART_WITHIN);
        var status = engine.inspect(loop);
        assertThat(status.state()).isEqualTo(WorkloadState.EXITED);
        assertThat(restartPending(status)).as("message %s", status.message()).isFalse();
    }

    @Test
    void anAutoRemoveWorkloadGoesWithItsBundleOnceItExitedAndAWaitGetsTheCode() throws Exception {
        String job = name("autorm");
        engine.run(shell(job, EXIT_ON_GO + "3").autoRemove(true).build());
        var waiting = CompletableFuture.supplyAsync(() -> engine.waitExit(job, null), task -> Thread.ofVirtual().start(task));

        go(job);

        assertThat(events.next(job, EventType.EXITED).detail()).isEqualTo("code 3");
        assertThat(events.next(job, EventType.REMOVED)).isNotNull();
        assertThat(waiting.get(WITHIN.toSeconds(), TimeUnit.SECONDS).code()).isEqualTo(3);
        assertThat(engine.list(true)).extracting(WorkloadStatus::name).doesNotContain(job);
        try (var bundles = Files.list(dataDir.resolve("oci").resolve("bundles"))) {
            assertThat(bundles.map(p -> p.getFileName().toString())).noneMatch(b -> b.startsWith(job + "-"));
        }
    }

    @Test
    void aWaitEndsWhenTheWorkloadIsRemovedMeanwhile() throws Exception {
        String web = name("removed");
        engine.run(shell(web, "exec sleep 1000").build());
        var waiting = CompletableFuture.supplyAsync(() -> engine.waitExit(web, null), task -> Thread.ofVirtual().start(task));
        Await.until(WITHIN, () -> engine.supervisedWorkloads().contains(web), web + " watched");

        engine.remove(web, true);

        try {
            var exit = waiting.get(WITHIN.toSeconds(), TimeUnit.SECONDS);
            assertThat(exit.code()).as("the kill the removal made").isEqualTo(137);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOfSatisfying(BerthException.class,
                    b -> assertThat(b.code()).isEqualTo(ErrorCode.NOT_FOUND));
        }
    }

    private String name(String label) {
        String name = "rp-" + runId + "-" + label;
        created.add(name);
        return name;
    }

    private static WorkloadSpec.Builder shell(String name, String script) {
        return WorkloadSpec.builder(name, TestImages.BUSYBOX).command("/bin/sh", "-c", script);
    }

    private static boolean restartPending(WorkloadStatus s) {
        return s.message() != null && s.message().startsWith("restarting in ");
    }

    private void go(String name) {
        assertThat(engine.exec(name, ExecRequest.of("touch", "/tmp/go")).exitCode()).isZero();
    }

}
