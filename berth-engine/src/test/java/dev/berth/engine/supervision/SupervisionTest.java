package dev.berth.engine.supervision;

import static dev.berth.api.model.EventType.EXITED;
import static dev.berth.api.model.EventType.READY;
import static dev.berth.api.model.EventType.REMOVED;
import static dev.berth.api.model.EventType.RESTARTED;
import static dev.berth.api.model.EventType.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.api.error.BerthException;
import dev.berth.api.error.ErrorCode;
import dev.berth.api.model.Event;
import dev.berth.api.model.EventType;
import dev.berth.api.model.WorkloadState;
import dev.berth.api.model.WorkloadStatus;
import dev.berth.api.spec.Readiness;
import dev.berth.api.spec.RestartMode;
import dev.berth.api.spec.Signal;
import dev.berth.api.spec.WorkloadSpec;
import dev.berth.api.spi.Capabilities;
import dev.berth.api.spi.Handle;
import dev.berth.engine.Engine;
import dev.berth.engine.testing.EventTape;
import dev.berth.engine.testing.FakeBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exit watchers and restart policies of a supervising engine (the daemon's), on an in-memory
 * backend that does not restart anything itself unless a test gives it RESTART_POLICY.
 */
@Timeout(60)
class SupervisionTest {
    /** Longer than any restart pause these tests can reach (100 + 200 ms). */
    private static final Duration NO_RESTART_WITHIN = Duration.ofSeconds(1);

    @TempDir
    Path dataDir;

    private final FakeBackend fake = new FakeBackend("fake");
    private Engine engine;

    private Engine open() {
        engine = Engine.builder().dataDir(dataDir).provider(fake.provider()).defaultBackend("fake").build();
        return engine;
    }

    private Engine supervising() {
        open().superviseWorkloads();
        return engine;
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private static WorkloadSpec spec(String name, RestartMode mode, int maxRetries) {
        return WorkloadSpec.builder(name, "busybox").command("sleep", "1000").restart(mode, maxRetries).build();
    }

    private void exit(String name, int code) {
        fake.exit(new Handle("fake", engine.inspect(name).handle()), code);
    }

    /** The record alone, as an engine that cannot reach the backend shows it: what was recorded, not folded on read. */
    private WorkloadStatus recorded(String name) {
        fake.available = false;
        try (Engine other = Engine.builder().dataDir(dataDir).provider(fake.provider()).defaultBackend("fake").build()) {
            return other.inspect(name);
        } finally {
            fake.available = true;
        }
    }

    @Test
    void anExitIsRecordedByTheWatcherWithoutAnyClientCall() {
        String id = supervising().run(spec("job", RestartMode.NO, 0)).handle();
        try (var tape = EventTape.fromNow(engine)) {
            fake.exit(new Handle("fake", id), 3);

            Event exited = tape.next(1).getFirst();
            assertThat(exited.type()).isEqualTo(EXITED);
            assertThat(exited.detail()).isEqualTo("code 3");
        }
        WorkloadStatus job = recorded("job");
        assertThat(job.state()).isEqualTo(WorkloadState.EXITED);
        assertThat(job.exit().code()).isEqualTo(3);
        assertThat(job.finishedAt()).isEqualTo(FakeBackend.FIRST_FINISH);
    }

    @Test
    void onFailureRestartsExactlyTwiceThenStaysExitedWithTheRealCode() {
        supervising().run(spec("job", RestartMode.ON_FAILURE, 2));
        try (var tape = EventTape.fromNow(engine)) {
            exit("job", 3);
            assertThat(tape.next(2)).extracting(Event::type).containsExactly(EXITED, RESTARTED);
            exit("job", 4);
            assertThat(tape.next(2)).extracting(Event::type).containsExactly(EXITED, RESTARTED);
            exit("job", 5);
            assertThat(tape.next(1)).extracting(Event::type).containsExactly(EXITED);

            tape.assertQuietFor(NO_RESTART_WITHIN);
        }
        WorkloadStatus job = engine.inspect("job");
        assertThat(job.state()).isEqualTo(WorkloadState.EXITED);
        assertThat(job.exit().code()).isEqualTo(5);
        assertThat(job.restartCount()).isEqualTo(2);
        assertThat(job.message()).isNull();
        assertThat(fake.byWorkload("job").starts).isEqualTo(3);
    }

    @Test
    void onFailureLeavesASuccessfulExitAlone() {
        supervising().run(spec("job", RestartMode.ON_FAILURE, 0));
        try (var tape = EventTape.fromNow(engine)) {
            exit("job", 0);
            assertThat(tape.next(1)).extracting(Event::type).containsExactly(EXITED);
            tape.assertQuietFor(NO_RESTART_WITHIN);
        }
        assertThat(engine.inspect("job").exit().code()).isZero();
    }

    @Test
    void alwaysRestartsWhateverTheExitCodeWithAGrowingPause() {
        supervising().run(spec("web", RestartMode.ALWAYS, 0));
        try (var tape = EventTape.fromNow(engine)) {
            exit("web", 0);
            List<Event> first = tape.next(2);
            exit("web", 1);
            List<Event> second = tape.next(2);

            assertThat(first).extracting(Event::type).containsExactly(EXITED, RESTARTED);
            assertThat(second).extracting(Event::type).containsExactly(EXITED, RESTARTED);
            assertThat(first.get(1).detail()).isEqualTo("restart 1 by restart policy always after 100 ms");
            assertThat(second.get(1).detail()).isEqualTo("restart 2 by restart policy always after 200 ms");
        }
        WorkloadStatus web = engine.inspect("web");
        assertThat(web.state()).isEqualTo(WorkloadState.RUNNING);
        assertThat(web.restartCount()).isEqualTo(2);
    }

    @Test
    void aUsersStopIsNotUndone() {
        supervising().run(spec("web", RestartMode.ALWAYS, 0));
        try (var tape = EventTape.fromNow(engine)) {
            engine.stop("web", Duration.ofSeconds(1));

            assertThat(tape.next(2)).extracting(Event::type).containsExactly(EXITED, STOPPED);
            tape.assertQuietFor(NO_RESTART_WITHIN);
        }
        assertThat(engine.inspect("web").state()).isEqualTo(WorkloadState.EXITED);
        assertThat(fake.byWorkload("web").starts).isEqualTo(1);
    }

    @Test
    void killThenStopIsNotUndone() {
        supervising().run(spec("web", RestartMode.ALWAYS, 0));
        try (var tape = EventTape.fromNow(engine)) {
            engine.kill("web", Signal.SIGKILL);
            Event exited = tape.next(1).getFirst();
            assertThat(exited.detail()).isEqualTo("code 137 (SIGKILL)");

            // Usually inside the restart pause; on a slow machine after the restart: either way the stop is final.
            engine.stop("web", Duration.ofSeconds(1));

            Event last;
            do {
                last = tape.next(1).getFirst();
            } while (last.type() != STOPPED);
            tape.assertQuietFor(NO_RESTART_WITHIN);
        }
        WorkloadStatus web = engine.inspect("web");
        assertThat(web.state()).isEqualTo(WorkloadState.EXITED);
        assertThat(web.message()).as("no restart pending").isNull();
    }

    @Test
    void aPendingRestartShowsInTheRecord() {
        supervising().run(spec("job", RestartMode.ON_FAILURE, 0));
        try (var tape = EventTape.fromNow(engine)) {
            exit("job", 1);
            // The exit and the restart decision are one write: whoever sees the event sees both.
            tape.next(1);
            WorkloadStatus job = recorded("job");
            if (job.state() == WorkloadState.EXITED) {
                assertThat(job.message()).isEqualTo("restarting in 100 ms (restart policy on-failure)");
            } else {
                // A slow machine: the pause was over before the record could be read.
                assertThat(job.restartCount()).isEqualTo(1);
            }
        }
    }

    private static WorkloadSpec autoRemoved(String name) {
        return WorkloadSpec.builder(name, "busybox").command("sleep", "1000").autoRemove(true).build();
    }

    @Test
    void anAutoRemoveWorkloadIsRemovedOnItsExitAndAWaitStillGetsItsCode() throws Exception {
        String id = supervising().run(autoRemoved("job")).handle();
        var waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> engine.waitExit("job", null),
                task -> Thread.ofVirtual().start(task));
        try (var tape = EventTape.fromNow(engine)) {
            fake.exit(new Handle("fake", id), 3);

            assertThat(tape.next(2)).extracting(Event::type, Event::detail)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(EXITED, "code 3"), org.assertj.core.groups.Tuple.tuple(REMOVED, null));
        }
        assertThat(waiting.get(10, java.util.concurrent.TimeUnit.SECONDS).code()).isEqualTo(3);
        assertThat(engine.waitExit("job", null).code()).as("a wait that comes after the removal").isEqualTo(3);
        assertThat(engine.list(true)).extracting(WorkloadStatus::name).doesNotContain("job");
        assertThat(fake.removed).containsExactly("workload " + id);
        assertThat(engine.supervisedWorkloads()).isEmpty();
    }

    @Test
    void aRememberedExitIsForgottenOnceANewWorkloadTakesTheName() {
        String id = supervising().run(autoRemoved("job")).handle();
        try (var tape = EventTape.fromNow(engine)) {
            fake.exit(new Handle("fake", id), 3);
            assertThat(tape.nextTypes("job", 2)).containsExactly(EXITED, REMOVED);
        }
        engine.run(spec("job", RestartMode.NO, 0));
        engine.remove("job", true);

        assertThatThrownBy(() -> engine.waitExit("job", null)).as("not the first job's exit 3")
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void anAutoRemoveWorkloadIsRemovedAfterAUsersStopButNotWhileOnlyCreated() {
        supervising().run(autoRemoved("web"));
        engine.create(autoRemoved("later"));
        try (var tape = EventTape.fromNow(engine)) {
            engine.stop("web", Duration.ofSeconds(1));

            assertThat(tape.nextTypes("web", 3)).containsExactly(EXITED, STOPPED, REMOVED);
            tape.assertQuietFor(NO_RESTART_WITHIN);
        }
        assertThat(engine.list(true)).extracting(WorkloadStatus::name).containsExactly("later");
    }

    @Test
    void anAutoRemoveWorkloadThatExitedWhileNoEngineRanIsRemovedWhenSupervisionStarts() {
        String id = supervising().run(autoRemoved("job")).handle();
        engine.close();
        fake.exit(new Handle("fake", id), 137);

        open();
        try (var tape = EventTape.fromNow(engine)) {
            engine.superviseWorkloads();
            assertThat(tape.nextTypes("job", 2)).containsExactly(EXITED, REMOVED);
        }
        assertThat(engine.list(true)).isEmpty();
        assertThat(fake.removed).containsExactly("workload " + id);
    }

    @Test
    void anEngineThatDoesNotSuperviseRefusesAutoRemoveAndRecordsNothing() {
        open();
        assertThatThrownBy(() -> engine.run(autoRemoved("job"))).isInstanceOfSatisfying(BerthException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED);
            assertThat(e.field()).isEqualTo("autoRemove");
            assertThat(e.getMessage()).contains("berth daemon");
        });
        assertThat(engine.list(true)).isEmpty();
        assertThat(fake.containers).isEmpty();
    }

    @Test
    void afterAnEngineRestartRunningWorkloadsComeBackButAUsersStopHolds() {
        open();
        engine.run(spec("always", RestartMode.ALWAYS, 0));
        engine.run(spec("unless", RestartMode.UNLESS_STOPPED, 0));
        engine.run(spec("always-stopped", RestartMode.ALWAYS, 0));
        engine.run(spec("unless-stopped", RestartMode.UNLESS_STOPPED, 0));
        engine.run(spec("never", RestartMode.NO, 0));
        engine.stop("always-stopped", Duration.ofSeconds(1));
        engine.stop("unless-stopped", Duration.ofSeconds(1));
        engine.close();
        // The host went down: every process died while no engine ran.
        for (String name : List.of("always", "unless", "never")) {
            fake.exit(new Handle("fake", fake.byWorkload(name).id), 137);
        }

        open();
        try (var tape = EventTape.fromNow(engine)) {
            engine.superviseWorkloads();

            Map<String, List<EventType>> byWorkload = tape.next(5).stream().collect(
                    Collectors.groupingBy(Event::workload, Collectors.mapping(Event::type, Collectors.toList())));
            tape.assertQuietFor(NO_RESTART_WITHIN);

            assertThat(byWorkload).containsOnlyKeys("always", "unless", "never");
            assertThat(byWorkload.get("always")).containsExactly(EXITED, RESTARTED);
            assertThat(byWorkload.get("unless")).containsExactly(EXITED, RESTARTED);
            assertThat(byWorkload.get("never")).containsExactly(EXITED);
        }
        assertThat(engine.inspect("always").state()).isEqualTo(WorkloadState.RUNNING);
        assertThat(engine.inspect("unless").state()).isEqualTo(WorkloadState.RUNNING);
        assertThat(engine.inspect("always-stopped").state()).isEqualTo(WorkloadState.EXITED);
        assertThat(engine.inspect("unless-stopped").state()).isEqualTo(WorkloadState.EXITED);
        assertThat(engine.inspect("never").state()).isEqualTo(WorkloadState.EXITED);
    }

    @Test
    void aBackendWithItsOwnRestartPolicyIsOnlyFollowed() throws Exception {
        fake.features.add(Capabilities.Feature.RESTART_POLICY);
        String id = supervising().run(spec("web", RestartMode.ALWAYS, 0)).handle();
        try (var tape = EventTape.fromNow(engine)) {
            fake.awaitWaiter(id);
            fake.exit(new Handle("fake", id), 1);

            List<Event> events = tape.next(2);
            assertThat(events).extracting(Event::type).containsExactly(EXITED, RESTARTED);
            assertThat(events.get(1).detail()).isEqualTo("restart 1 by backend fake");
            tape.assertQuietFor(NO_RESTART_WITHIN);
        }
        WorkloadStatus web = recorded("web");
        assertThat(web.state()).isEqualTo(WorkloadState.RUNNING);
        assertThat(web.restartCount()).isEqualTo(1);
        assertThat(fake.byWorkload("web").starts).as("one start by the engine, one by the backend, none twice").isEqualTo(2);
    }

    /** The fake's exec always succeeds, so this probe passes at the first try. */
    private static WorkloadSpec probed(String name) {
        return WorkloadSpec.builder(name, "busybox").command("sleep", "1000").restart(RestartMode.ALWAYS, 0)
                .readiness(new Readiness(null, null, null, List.of("true"), "5s")).build();
    }

    @Test
    void aRunTheEnginesRestartPolicyStartedIsProbedAndBecomesReadyAgain() {
        assertThat(supervising().run(probed("web")).state()).isEqualTo(WorkloadState.READY);
        try (var tape = EventTape.fromNow(engine)) {
            exit("web", 1);

            assertThat(tape.nextTypes("web", 3)).containsExactly(EXITED, RESTARTED, READY);
            tape.assertQuietFor(NO_RESTART_WITHIN);
        }
        WorkloadStatus web = recorded("web");
        assertThat(web.state()).isEqualTo(WorkloadState.READY);
        assertThat(web.restartCount()).isEqualTo(1);
    }

    @Test
    void aRunTheBackendRestartedIsProbedAndBecomesReadyAgain() throws Exception {
        fake.features.add(Capabilities.Feature.RESTART_POLICY);
        String id = supervising().run(probed("web")).handle();
        try (var tape = EventTape.fromNow(engine)) {
            fake.awaitWaiter(id);
            fake.exit(new Handle("fake", id), 1);

            assertThat(tape.nextTypes("web", 3)).containsExactly(EXITED, RESTARTED, READY);
            tape.assertQuietFor(NO_RESTART_WITHIN);
        }
        assertThat(recorded("web").state()).isEqualTo(WorkloadState.READY);
    }

    @Test
    void watchersEndWithTheirWorkloadAndWithTheEngine() {
        supervising().run(spec("a", RestartMode.ALWAYS, 0));
        engine.run(spec("b", RestartMode.NO, 0));
        engine.create(spec("c", RestartMode.NO, 0));
        assertThat(engine.supervisedWorkloads()).containsExactly("a", "b");

        engine.remove("a", true);
        assertThat(engine.supervisedWorkloads()).containsExactly("b");

        engine.close();
        assertThat(engine.supervisedWorkloads()).isEmpty();
        engine = null;
    }

    @Test
    void superviseWorkloadsIsIdempotentAndTheEmbeddedEngineWatchesNothing() {
        open().run(spec("a", RestartMode.ALWAYS, 0));
        assertThat(engine.supervisedWorkloads()).isEmpty();

        engine.superviseWorkloads();
        engine.superviseWorkloads();

        assertThat(engine.supervisedWorkloads()).containsExactly("a");
    }
}
